/// File name extensions of formats that are binary by definition: images, archives, fonts, media,
/// compiled objects. Such files are counted as `binary` without being read; for git history that
/// spares decompressing them, which is most of what a history scan costs. A file named on the
/// command line is read whatever its name.
enum BinaryExtensions {
    static let names: Set<String> = [
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd", "heic",
        "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jar", "war", "ear", "apk", "ipa", "aar",
        "pdf", "woff", "woff2", "ttf", "otf", "eot",
        "mp3", "mp4", "m4a", "mov", "avi", "mkv", "wav", "flac", "ogg", "webm",
        "exe", "dll", "so", "dylib", "a", "o", "obj", "lib", "class", "pyc", "wasm", "dmg", "iso",
    ]

    static func isBinary(_ path: String) -> Bool {
        guard let dot = path.utf8.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let suffix = path[path.index(after: dot)...]
        guard !suffix.isEmpty, suffix.count <= 5, !suffix.contains("/") else { return false }
        return names.contains(suffix.lowercased())
    }
}
