import InclusionCLI

InclusionctlMain.main()
