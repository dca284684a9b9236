// The platforms sprawl builds on: Linux with glibc (Debian and Ubuntu are what CI and the
// benchmarks run on). The process and pipe code calls pipe2 and F_SETPIPE_SZ and reads with
// Glibc.read; a port would replace those in `Git/ChildProcess.swift`, `Git/BlobReader.swift`,
// `Walk/FileReader.swift` and the CShims module, and add the platform to CI.
#if !os(Linux) || !canImport(Glibc)
#error("sprawl builds on Linux with glibc only; see Support/Platform.swift")
#endif
