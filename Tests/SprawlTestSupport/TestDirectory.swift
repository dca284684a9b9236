import Foundation

/// A unique temporary directory for one test, removed when the value is deinitialized.
public final class TestDirectory {
    public let path: String

    public init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "sprawl-test-\(safe)-\(UUID().uuidString.prefix(8))"
        ownsDirectory = true
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    private let ownsDirectory: Bool

    /// Wraps a directory another `TestDirectory` owns (it is removed with its owner).
    public init(existing path: String) {
        self.path = path
        ownsDirectory = false
    }

    deinit { if ownsDirectory { try? FileManager.default.removeItem(atPath: path) } }

    /// Writes `contents` to `relativePath`, creating parent directories.
    @discardableResult
    public func create(_ relativePath: String, contents: String) -> String {
        createBytes(relativePath, Array(contents.utf8))
    }

    @discardableResult
    public func createBytes(_ relativePath: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + relativePath
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    public func createDirectory(_ relativePath: String) -> String {
        let full = path + "/" + relativePath
        try! FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    public func symlink(_ relativePath: String, to destination: String) {
        try! FileManager.default.createSymbolicLink(atPath: path + "/" + relativePath, withDestinationPath: destination)
    }
}
