// The tests use Unix file modes and shell-script fakes of pg_dump: they run on Linux and macOS only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
