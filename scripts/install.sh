#!/usr/bin/env bash
# Installs inclusionctl and inclusiond with what a system needs around them: the systemd unit and sysusers file,
# an example configuration, shell completions (bash, zsh, fish) and man pages, the last two generated from
# inclusionctl's own command tree. `make install` runs it after building; packaging may run it directly.
#
#   scripts/install.sh BIN-DIR          (the directory holding the built inclusionctl and inclusiond)
#
# DESTDIR (default empty) is prepended to every path, PREFIX (default /usr/local) is where the files go, as
# Debian packaging expects (`make install DESTDIR=debian/tmp PREFIX=/usr`). The unit's ExecStart points at
# PREFIX/bin; the example configuration goes to PREFIX/share/doc/inclusiond/examples (copy it to /etc/inclusiond).
set -euo pipefail
bin=${1:?usage: install.sh BIN-DIR}
prefix=${PREFIX:-/usr/local}
dest=${DESTDIR:-}
root=$(cd "$(dirname "$0")/.." && pwd)
ctl="$bin/inclusionctl"

bindir="$dest$prefix/bin"
unitdir="$dest$prefix/lib/systemd/system"
sysusersdir="$dest$prefix/lib/sysusers.d"
examples="$dest$prefix/share/doc/inclusiond/examples"
bash_dir="$dest$prefix/share/bash-completion/completions"
zsh_dir="$dest$prefix/share/zsh/vendor-completions"
fish_dir="$dest$prefix/share/fish/vendor_completions.d"
man_dir="$dest$prefix/share/man/man1"

install -d "$bindir" "$unitdir" "$sysusersdir" "$examples" "$bash_dir" "$zsh_dir" "$fish_dir" "$man_dir"
install -m 0755 "$bin/inclusionctl" "$bin/inclusiond" "$bindir/"
sed "s|^ExecStart=/usr/local/bin/|ExecStart=$prefix/bin/|" "$root/systemd/inclusiond.service" >"$unitdir/inclusiond.service"
chmod 0644 "$unitdir/inclusiond.service"
install -m 0644 "$root/systemd/inclusiond.sysusers" "$sysusersdir/inclusiond.conf"
install -m 0644 "$root/config/inclusiond.yaml" "$examples/inclusiond.yaml"
install -m 0644 "$root/systemd/outbound.conf" "$examples/outbound.conf"

"$ctl" --generate-completion-script bash >"$bash_dir/inclusionctl"
"$ctl" --generate-completion-script zsh >"$zsh_dir/_inclusionctl"
"$ctl" --generate-completion-script fish >"$fish_dir/inclusionctl.fish"
chmod 0644 "$bash_dir/inclusionctl" "$zsh_dir/_inclusionctl" "$fish_dir/inclusionctl.fish"

pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
"$ctl" generate-manual --output-directory "$pages"
install -m 0644 "$pages"/*.1 "$man_dir/"

echo "installed into ${dest:-/}: $prefix/bin/{inclusionctl,inclusiond}, the systemd unit, completions and $(ls "$pages" | wc -l) man pages"
