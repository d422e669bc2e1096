# inclusiond: build, lint, test and run on one machine. GNU make; every recipe is one bash script run with
# `set -euo pipefail` (.ONESHELL), so a failing command stops its target.
#
#   make run     install what is missing, build, start a private PostgreSQL cluster, migrate, load the demo
#                trust when the database is empty, then run inclusiond in the foreground
#   make test    the same set-up with a throwaway cluster, then every test
#
# Variables: SCRATCH=DIR builds in DIR instead of .build (`make test SCRATCH=.build-infra`);
# DATABASE_URL=CONNINFO makes `make run` use that server instead of a private cluster.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

# Swift is preinstalled in /opt/swift on the project's machines but not always on PATH.
ifeq ($(shell command -v swift),)
ifneq ($(wildcard /opt/swift/usr/bin/swift),)
export PATH := $(PATH):/opt/swift/usr/bin
endif
endif

SWIFT ?= swift
SCRATCH ?=
SWIFT_FLAGS := $(if $(SCRATCH),--scratch-path $(SCRATCH))
FORMAT_PATHS := Sources Tests Package.swift
PG_CLUSTER := scripts/pg-cluster.sh

# The throwaway cluster of `make test` and the persistent one of `make run`: short paths the postgres user
# can reach, so the socket path stays under 107 bytes.
TEST_DIR := /tmp/inclusiond-test
RUN_DIR := /tmp/inclusiond-run
DB_NAME := inclusion
DB_OWNER := inclusion_owner
# The admin login that scripts/demo.sh creates; `make run` points inclusionctl at it when it exists.
DEMO_LOGIN ?= inclusion_admin_demo
DEV_CONFIG := config/inclusiond.dev.yaml

.PHONY: help deps build format lint test install run stop bench tsan clean

help:
	@sed -n 's/^#   make /make /p; s/^#                /                /p' $(firstword $(MAKEFILE_LIST))
	echo "other targets: deps build format lint stop bench clean"

deps:
	@scripts/install-deps.sh

build: deps
	@scripts/embed-sql.sh
	$(SWIFT) build $(SWIFT_FLAGS)

format:
	@$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

lint:
	@t=$$SECONDS
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)
	echo "-- lint: ok ($$((SECONDS - t))s)"

test: deps lint
	@started=$$SECONDS
	t=$$SECONDS
	scripts/embed-sql.sh --check
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	bin=$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)
	echo "-- build: $$((SECONDS - t))s"

	t=$$SECONDS
	$(PG_CLUSTER) stop --throwaway $(TEST_DIR)
	trap '$(PG_CLUSTER) stop $(TEST_DIR)' EXIT
	trap 'exit 130' INT TERM
	$(PG_CLUSTER) start --throwaway $(TEST_DIR)
	echo "-- cluster: $$((SECONDS - t))s"

	export INCLUSION_TEST_DATABASE="$$($(PG_CLUSTER) url $(TEST_DIR))"
	export INCLUSIONCTL="$$bin/inclusionctl"
	export INCLUSIOND="$$bin/inclusiond"
	echo "INCLUSION_TEST_DATABASE=\"$$INCLUSION_TEST_DATABASE\""
	echo "INCLUSIONCTL=$$INCLUSIONCTL"
	t=$$SECONDS
	status=0
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build || status=$$?
	echo "-- swift test: exit $$status ($$((SECONDS - t))s)"

	if [[ -f scripts/check-systemd.sh ]]; then
	    t=$$SECONDS
	    check=0
	    bash scripts/check-systemd.sh || check=$$?
	    echo "-- check-systemd: exit $$check ($$((SECONDS - t))s)"
	    if [[ $$status -eq 0 ]]; then status=$$check; fi
	fi
	echo "-- make test: exit $$status ($$((SECONDS - started))s in all, before stopping the cluster)"
	exit $$status

run: build
	@bin=$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)
	if [[ -n "$${DATABASE_URL:-}" ]]; then
	    echo "-- DATABASE_URL is set: using it, not a private cluster"
	    database=$$DATABASE_URL
	    superuser=$$DATABASE_URL
	    where="the server DATABASE_URL names"
	else
	    $(PG_CLUSTER) start $(RUN_DIR)
	    admin=$$($(PG_CLUSTER) url $(RUN_DIR))
	    printf '%s\n' \
	        "SELECT 'CREATE ROLE $(DB_OWNER) LOGIN CREATEROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$(DB_OWNER)') \gexec" \
	        "SELECT 'CREATE DATABASE $(DB_NAME) OWNER $(DB_OWNER)' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$(DB_NAME)') \gexec" \
	        | psql "$$admin" -X -q -v ON_ERROR_STOP=1
	    database="host=$(RUN_DIR) dbname=$(DB_NAME) user=$(DB_OWNER)"
	    superuser="host=$(RUN_DIR) dbname=$(DB_NAME) user=postgres"
	    where="the private cluster in $(RUN_DIR) (socket only, log $(RUN_DIR)/postgres.log; \`make stop\` stops it)"
	fi

	echo "-- inclusionctl db migrate"
	"$$bin/inclusionctl" --database "$$database" db migrate
	echo "-- inclusionctl db harden (as a superuser: no login may create large objects)"
	"$$bin/inclusionctl" --database "$$superuser" db harden || echo "-- db harden needs a superuser: see the README's security section" >&2

	if [[ -f scripts/demo.sh ]]; then
	    if schools=$$(psql "$$superuser" -X -Atc 'SELECT count(*) FROM inclusion.school'); then
	        if [[ $$schools == 0 ]]; then
	            echo "-- loading the demo trust (scripts/demo.sh)"
	            INCLUSIONCTL="$$bin/inclusionctl" bash scripts/demo.sh "$$database"
	        else
	            echo "-- the database already has $$schools school(s): not loading the demo trust"
	        fi
	    else
	        echo "-- could not count schools: not loading the demo trust" >&2
	    fi
	fi

	login=$$(psql "$$superuser" -X -Atc "SELECT rolname FROM pg_roles WHERE rolname = '$(DEMO_LOGIN)'" || true)
	if [[ -n "$${DATABASE_URL:-}" ]]; then
	    url=$$DATABASE_URL
	elif [[ -n $$login ]]; then
	    url="host=$(RUN_DIR) dbname=$(DB_NAME) user=$(DEMO_LOGIN)"
	else
	    url=$$database
	fi
	echo
	echo "The database is $$where."
	echo "Point inclusionctl at it with:"
	echo
	echo "    export DATABASE_URL=\"$$url\""
	echo "    export PATH=\"$$bin:\$$PATH\""
	echo "    inclusionctl school list"
	echo

	if [[ -x $$bin/inclusiond ]]; then
	    config=()
	    if [[ -f $(DEV_CONFIG) ]]; then config=(--config $(DEV_CONFIG)); fi
	    echo "-- running $$bin/inclusiond $${config[*]} in the foreground (Ctrl-C stops it)"
	    exec "$$bin/inclusiond" "$${config[@]}"
	fi
	echo "-- inclusiond is not built yet: nothing more to run"

# `make install [DESTDIR=DIR] [PREFIX=/usr/local]`: a release build, then scripts/install.sh puts the binaries, the
# systemd unit, an example configuration, shell completions and man pages under DESTDIR/PREFIX.
install: deps
	@$(SWIFT) build $(SWIFT_FLAGS) -c release
	DESTDIR="$(DESTDIR)" PREFIX="$(or $(PREFIX),/usr/local)" \
	    scripts/install.sh "$$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path)"

stop:
	@$(PG_CLUSTER) stop $(RUN_DIR)

bench: deps
	@if [[ -f scripts/bench.sh ]]; then
	    exec bash scripts/bench.sh
	fi
	echo "make bench: scripts/bench.sh does not exist yet"

# ThreadSanitizer over the daemon and store suites (not part of `make test`: slower, and its own build).
TSAN_SCRATCH := .build-tsan
TSAN_DIR := /tmp/inclusiond-tsan

tsan: deps
	@t=$$SECONDS
	scripts/embed-sql.sh --check
	$(SWIFT) build --scratch-path $(TSAN_SCRATCH) --sanitize=thread --build-tests
	bin=$$($(SWIFT) build --scratch-path $(TSAN_SCRATCH) --sanitize=thread --show-bin-path)
	echo "-- tsan build: $$((SECONDS - t))s"
	$(PG_CLUSTER) stop --throwaway $(TSAN_DIR)
	trap '$(PG_CLUSTER) stop $(TSAN_DIR)' EXIT
	trap 'exit 130' INT TERM
	$(PG_CLUSTER) start --throwaway $(TSAN_DIR)
	export INCLUSION_TEST_DATABASE="$$($(PG_CLUSTER) url $(TSAN_DIR))"
	export INCLUSIONCTL="$$bin/inclusionctl"
	export INCLUSIOND="$$bin/inclusiond"
	# A race report fails the run (and the daemons the tests start) instead of only printing.
	export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 $${TSAN_OPTIONS:-}"
	t=$$SECONDS
	status=0
	$(SWIFT) test --scratch-path $(TSAN_SCRATCH) --sanitize=thread --skip-build \
	    --filter 'InclusionDaemonTests|InclusionStoreTests' || status=$$?
	echo "-- make tsan: exit $$status ($$((SECONDS - t))s)"
	exit $$status

clean:
	@rm -rf .build $(SCRATCH)
	echo "removed .build$(if $(SCRATCH), and $(SCRATCH)) (the cluster in $(RUN_DIR) is kept: \`make stop\`, then remove it)"
