#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CShims
import Foundation

/// A repository's pack files, read in place: a history scan takes its blobs from here rather than
/// through `git cat-file --batch`, which cost a git process per worker, a copy of every byte
/// through a pipe, and git's own bookkeeping: about a third of the CPU of a history scan.
///
/// Only what is certain is read here: version-2 indexes of SHA-1 packs that match their pack, and
/// objects whose whole delta chain lies in these packs. Anything else (loose objects, objects
/// behind alternates, SHA-256 repositories, other index versions, repositories with replace refs)
/// is not found, and the caller asks git for it; so is any object that fails a check here. Every
/// read is bounds-checked against the mapped files, each zlib stream's Adler-32 and every delta's
/// sizes are checked, and the caller compares type and size with git's listing.
final class PackStore: @unchecked Sendable {
    // Safety (@unchecked Sendable): the packs are mapped read-only and never written; lookups only read.
    let packs: [PackFile]

    init(packs: [PackFile]) { self.packs = packs }

    /// The packs of the repository `git` runs in; nil when it has none this reader can use.
    static func open(_ git: GitCommand) -> PackStore? {
        guard let output = try? git.output(["rev-parse", "--show-object-format", "--path-format=absolute",
                                            "--git-path", "objects", "--git-common-dir"]) else { return nil }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 3, lines[0] == "sha1", !hasReplaceRefs(commonDirectory: lines[2]) else { return nil }
        let directory = lines[1] + "/pack"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let packs = names.filter { $0.hasSuffix(".idx") }.sorted().compactMap { name -> PackFile? in
            let stem = directory + "/" + name.dropLast(4)
            return PackFile(index: stem + ".idx", pack: stem + ".pack")
        }
        return packs.isEmpty ? nil : PackStore(packs: packs)
    }

    /// `git cat-file` reads an object replaced by `refs/replace/…` as its replacement; this
    /// reader would not, so such repositories are left to git.
    private static func hasReplaceRefs(commonDirectory: String) -> Bool {
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: commonDirectory + "/refs/replace"), !entries.isEmpty {
            return true
        }
        guard let packed = FileManager.default.contents(atPath: commonDirectory + "/packed-refs") else { return false }
        return packed.withUnsafeBytes { $0.containsBytes(Array(" refs/replace/".utf8)) }
    }

    /// Where the object `id` (40 hex digits) is stored, if in one of these packs.
    func locate(_ id: String) -> (pack: Int, offset: Int)? {
        guard let name = Self.binaryName(id) else { return nil }
        return name.withUnsafeBytes { name in
            for (index, pack) in packs.enumerated() {
                if let offset = pack.offset(of: name) { return (index, offset) }
            }
            return nil
        }
    }

    /// `id` as its 20 bytes, or nil when it is not 40 hex digits.
    static func binaryName(_ id: String) -> [UInt8]? {
        let hex = Array(id.utf8)
        guard hex.count == 40 else { return nil }
        var name = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let high = Canonicalizer.hexDigit(hex[2 * index]), let low = Canonicalizer.hexDigit(hex[2 * index + 1]) else {
                return nil
            }
            name[index] = high << 4 | low
        }
        return name
    }
}

/// One `.pack` and its version-2 `.idx`, both mapped read-only.
final class PackFile: @unchecked Sendable {
    // Safety (@unchecked Sendable): both buffers are read-only and live as long as the object.
    let path: String
    let data: UnsafeRawBufferPointer
    private let index: UnsafeRawBufferPointer
    private let count: Int
    /// The buffers are this object's mappings, unmapped with it.
    private let isMapped: Bool

    /// Nil when either file cannot be mapped or is not a format this reader knows.
    convenience init?(index indexPath: String, pack packPath: String) {
        guard let index = Self.map(indexPath) else { return nil }
        guard let data = Self.map(packPath) else {
            Self.unmap(index)
            return nil
        }
        self.init(index: index, data: data, path: packPath, isMapped: true)
    }

    /// Over an index and a pack in memory (mapped files, or a fuzzer's bytes the caller keeps).
    /// Nil when they are not a version-2 index and the pack it describes; mapped buffers are then
    /// unmapped by `deinit`, which Swift runs for a class whose failing initializer had set every
    /// property (unmapping here as well would unmap twice, and the second could hit a new mapping).
    init?(index: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, path: String, isMapped: Bool) {
        (self.index, self.data, self.path, self.isMapped) = (index, data, path, isMapped)
        // idx v2: "\377tOc", version 2, 256 fan-out counts, names, CRCs, offsets, large offsets, two checksums.
        let count = index.count >= 8 + 1024 ? Int(Self.bigEndian32(index, 8 + 255 * 4)) : -1
        self.count = count
        guard index.count >= 8 + 1024 + 40, index[0] == 0xFF, index[1] == 0x74, index[2] == 0x4F, index[3] == 0x63,
              Self.bigEndian32(index, 4) == 2, count >= 0, index.count >= 8 + 1024 + count * 28 + 40,
              data.count >= 12 + 20, data[0] == 0x50, data[1] == 0x41, data[2] == 0x43, data[3] == 0x4B,
              Self.bigEndian32(data, 4) == 2 || Self.bigEndian32(data, 4) == 3,
              // The index belongs to this pack: same object count, and it records the pack's checksum.
              Int(Self.bigEndian32(data, 8)) == count,
              memcmp(index.baseAddress! + index.count - 40, data.baseAddress! + data.count - 20, 20) == 0
        else { return nil }
    }

    deinit {
        guard isMapped else { return }
        Self.unmap(index)
        Self.unmap(data)
    }

    /// The offset of the object named by 20 bytes, if this pack holds it.
    func offset(of name: UnsafeRawBufferPointer) -> Int? {
        let first = Int(name[0])
        var low = first == 0 ? 0 : Int(Self.bigEndian32(index, 8 + (first - 1) * 4))
        var high = Int(Self.bigEndian32(index, 8 + first * 4))
        guard low <= high, high <= count else { return nil }
        let names = 8 + 1024
        while low < high {
            let middle = (low + high) / 2
            let order = memcmp(index.baseAddress! + names + middle * 20, name.baseAddress!, 20)
            if order == 0 { return offset(at: middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    private func offset(at position: Int) -> Int? {
        let offsets = 8 + 1024 + count * 24
        let small = Self.bigEndian32(index, offsets + position * 4)
        guard small & 0x8000_0000 != 0 else { return Int(small) }
        // A pack over 2 GiB: the high bit points into the table of 64-bit offsets.
        let large = offsets + count * 4 + Int(small & 0x7FFF_FFFF) * 8
        guard large + 8 <= index.count - 40 else { return nil }
        let value = UInt64(Self.bigEndian32(index, large)) << 32 | UInt64(Self.bigEndian32(index, large + 4))
        return value < UInt64(data.count) ? Int(value) : nil
    }

    static func bigEndian32(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16 | UInt32(buffer[offset + 2]) << 8 | UInt32(buffer[offset + 3])
    }

    private static func map(_ path: String) -> UnsafeRawBufferPointer? {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        return UnsafeRawBufferPointer(start: address, count: size)
    }

    private static func unmap(_ buffer: UnsafeRawBufferPointer) {
        if let base = buffer.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) }
    }
}

/// Why an object in a pack could not be read here: damage, or more than this reader takes on
/// (`maximumObject`, `chainBudget`). The caller then asks git.
struct PackError: Error {
    let pack: String
    let offset: Int
    let reason: String
}

/// Reads objects out of a `PackStore`, resolving delta chains. One per worker thread: it owns a
/// decompressor (libdeflate: objects are whole zlib streams of known size, the case it is made
/// for, and it inflates them about twice as fast as zlib) and a cache of recently resolved
/// objects, because in pack order a delta's base is usually the object read just before.
final class PackObjectReader {
    static let blobType = 3
    let store: PackStore
    private let decompressor: OpaquePointer
    private var cache = [Location: (type: Int, bytes: [UInt8])]()
    private var cacheOrder = [Location]()
    private var cacheStart = 0
    private var cachedBytes = 0
    /// Resolved objects kept for the deltas that follow (each worker's own).
    static let cacheLimit = 32 << 20
    /// Longer chains are damage (git caps its own at a few thousand).
    static let maximumChain = 10_000
    /// Larger objects (and delta bases) are left to git: the blobs a scan reads are far smaller,
    /// and a size read from a damaged header must not become an allocation.
    static let maximumObject = 64 << 20
    /// Bytes one object's delta chain may inflate and build before it is left to git: a long
    /// chain of large deltas is work git's own caches do better.
    static let chainBudget = 256 << 20

    private struct Location: Hashable {
        let pack: Int
        let offset: Int
    }

    init(store: PackStore) {
        self.store = store
        guard let decompressor = libdeflate_alloc_decompressor() else { fatalError("libdeflate: out of memory") }
        self.decompressor = decompressor
    }

    deinit { libdeflate_free_decompressor(decompressor) }

    /// The type (1 commit, 2 tree, 3 blob, 4 tag) and contents of the object at `offset` of pack `pack`.
    func object(pack: Int, offset: Int) throws(PackError) -> (type: Int, bytes: [UInt8]) {
        // Walk down the chain to a whole object or one already resolved, then apply the deltas back up.
        var deltas = [(pack: Int, offset: Int, dataStart: Int, size: Int)]()
        var location = Location(pack: pack, offset: offset)
        var resolved: (type: Int, bytes: [UInt8])
        while true {
            if let hit = cache[location] {
                resolved = hit
                break
            }
            let file = store.packs[location.pack]
            let entry = try header(file, at: location.offset)
            switch entry.type {
            case 1...4:
                resolved = (entry.type, try inflate(file, at: entry.dataStart, size: entry.size, entryAt: location.offset))
            case 6, 7:
                guard deltas.count < Self.maximumChain else { throw damaged(file, location.offset, "delta chain too long") }
                deltas.append((location.pack, location.offset, entry.dataStart, entry.size))
                location = try deltaBase(file, entry: entry, at: location)
                continue
            default:
                throw damaged(file, location.offset, "object type \(entry.type)")
            }
            break
        }
        if deltas.isEmpty {
            remember(location, resolved)
            return resolved
        }
        var spent = resolved.bytes.count
        for delta in deltas.reversed() {
            let file = store.packs[delta.pack]
            let instructions = try inflate(file, at: delta.dataStart, size: delta.size, entryAt: delta.offset)
            resolved = (resolved.type, try Self.apply(instructions, to: resolved.bytes, pack: file.path, offset: delta.offset))
            spent += instructions.count + resolved.bytes.count
            guard spent <= Self.chainBudget else { throw damaged(file, offset, "delta chain over \(Self.chainBudget) bytes") }
            remember(Location(pack: delta.pack, offset: delta.offset), resolved)
        }
        return resolved
    }

    /// Keeps `object` for later deltas, dropping the oldest kept objects beyond `cacheLimit`.
    private func remember(_ key: Location, _ object: (type: Int, bytes: [UInt8])) {
        guard object.bytes.count <= Self.cacheLimit / 4, cache[key] == nil else { return }
        cache[key] = object
        cacheOrder.append(key)
        cachedBytes += object.bytes.count
        while cachedBytes > Self.cacheLimit && cacheStart < cacheOrder.count {
            if let evicted = cache.removeValue(forKey: cacheOrder[cacheStart]) { cachedBytes -= evicted.bytes.count }
            cacheStart += 1
        }
        if cacheStart > 4096 && cacheStart * 2 > cacheOrder.count {
            cacheOrder.removeFirst(cacheStart)
            cacheStart = 0
        }
    }

    private struct Entry {
        let type: Int
        let size: Int
        /// After the header (and, for deltas, the base's offset or name).
        let dataStart: Int
        let baseName: Int?
        let baseDistance: Int?
    }

    /// An entry's header: type and inflated size in a variable-length integer, then a delta's base.
    private func header(_ file: PackFile, at offset: Int) throws(PackError) -> Entry {
        let data = file.data
        var position = offset
        guard offset >= 12, position < data.count - 20 else { throw damaged(file, offset, "offset outside the pack") }
        var byte = data[position]
        position += 1
        let type = Int(byte >> 4 & 7)
        var size = Int(byte & 0x0F)
        var shift = 4
        while byte & 0x80 != 0 {
            guard position < data.count - 20, shift < 57 else { throw damaged(file, offset, "bad object header") }
            byte = data[position]
            position += 1
            size |= Int(byte & 0x7F) << shift
            shift += 7
        }
        switch type {
        case 6:
            // The base's distance back: big-endian groups of seven bits, each continuation adding one.
            guard position < data.count - 20 else { throw damaged(file, offset, "bad delta header") }
            byte = data[position]
            position += 1
            var distance = Int(byte & 0x7F)
            while byte & 0x80 != 0 {
                guard position < data.count - 20, distance < (1 << 50) else { throw damaged(file, offset, "bad delta header") }
                byte = data[position]
                position += 1
                distance = (distance + 1) << 7 | Int(byte & 0x7F)
            }
            return Entry(type: type, size: size, dataStart: position, baseName: nil, baseDistance: distance)
        case 7:
            guard position + 20 < data.count - 20 else { throw damaged(file, offset, "bad delta header") }
            return Entry(type: type, size: size, dataStart: position + 20, baseName: position, baseDistance: nil)
        default:
            return Entry(type: type, size: size, dataStart: position, baseName: nil, baseDistance: nil)
        }
    }

    private func deltaBase(_ file: PackFile, entry: Entry, at location: Location) throws(PackError) -> Location {
        if let distance = entry.baseDistance {
            guard distance > 0, distance <= location.offset - 12 else { throw damaged(file, location.offset, "delta base outside the pack") }
            return Location(pack: location.pack, offset: location.offset - distance)
        }
        guard let start = entry.baseName else { throw damaged(file, location.offset, "delta without a base") }
        let name = UnsafeRawBufferPointer(rebasing: file.data[start..<(start + 20)])
        // A thin pack's base may live in another pack; in none of them, it is an error here (and
        // the caller asks git, which may find it loose or behind an alternate).
        if let found = file.offset(of: name) { return Location(pack: location.pack, offset: found) }
        for (index, other) in store.packs.enumerated() where index != location.pack {
            if let found = other.offset(of: name) { return Location(pack: index, offset: found) }
        }
        throw damaged(file, location.offset, "delta base not in any pack")
    }

    /// Inflates the zlib stream at `start` into exactly `size` bytes.
    private func inflate(_ file: PackFile, at start: Int, size: Int, entryAt offset: Int) throws(PackError) -> [UInt8] {
        guard start <= file.data.count - 20, size >= 0 else { throw damaged(file, offset, "object outside the pack") }
        guard size <= Self.maximumObject else { throw damaged(file, offset, "object of \(size) bytes") }
        // DEFLATE expands at most about 1,032 to 1: a larger size is a damaged header.
        guard size <= (file.data.count - 20 - start) * 1032 + 64 else { throw damaged(file, offset, "size \(size) beyond its data") }
        var output = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, initialized in
            initialized = max(size, 1)
        }
        var produced = 0
        let status = output.withUnsafeMutableBytes { out in
            // Stops at the end of the object's stream, whatever follows it in the pack.
            libdeflate_zlib_decompress(decompressor, file.data.baseAddress! + start, file.data.count - 20 - start,
                                       out.baseAddress!, size, &produced)
        }
        guard status == LIBDEFLATE_SUCCESS, produced == size else {
            throw damaged(file, offset, "inflate failed (libdeflate result \(status.rawValue))")
        }
        if size == 0 { output.removeAll() }
        return output
    }

    /// Applies git's delta instructions (copy a range of the base, or insert literal bytes) to `base`.
    static func apply(_ delta: [UInt8], to base: [UInt8], pack: String, offset: Int) throws(PackError) -> [UInt8] {
        var position = 0
        func varint() -> Int? {
            var value = 0, shift = 0
            while position < delta.count, shift < 57 {
                let byte = delta[position]
                position += 1
                value |= Int(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }
        let damage = { (reason: String) in PackError(pack: pack, offset: offset, reason: reason) }
        guard let sourceSize = varint(), let targetSize = varint() else { throw damage("bad delta sizes") }
        guard sourceSize == base.count else { throw damage("delta base size \(sourceSize), base has \(base.count)") }
        // Each instruction byte makes at most one copy (64 KiB, and no more than the base) or
        // 127 inserted bytes: a larger target is damage, not an allocation to attempt.
        guard targetSize <= delta.count * max(127, min(base.count, 0x10000)), targetSize <= maximumObject else {
            throw damage("delta claims \(targetSize) bytes")
        }
        var result = [UInt8]()
        result.reserveCapacity(targetSize)
        while position < delta.count {
            let operation = delta[position]
            position += 1
            if operation & 0x80 != 0 {
                var copyOffset = 0, copySize = 0
                for bit in 0..<4 where operation & (1 << bit) != 0 {
                    guard position < delta.count else { throw damage("truncated copy") }
                    copyOffset |= Int(delta[position]) << (8 * bit)
                    position += 1
                }
                for bit in 0..<3 where operation & (0x10 << bit) != 0 {
                    guard position < delta.count else { throw damage("truncated copy") }
                    copySize |= Int(delta[position]) << (8 * bit)
                    position += 1
                }
                if copySize == 0 { copySize = 0x10000 }
                guard copyOffset + copySize <= base.count, result.count + copySize <= targetSize else { throw damage("copy out of range") }
                result.append(contentsOf: base[copyOffset..<(copyOffset + copySize)])
            } else if operation != 0 {
                let length = Int(operation)
                guard position + length <= delta.count, result.count + length <= targetSize else { throw damage("insert out of range") }
                result.append(contentsOf: delta[position..<(position + length)])
                position += length
            } else {
                throw damage("reserved delta instruction 0")
            }
        }
        guard result.count == targetSize else { throw damage("delta made \(result.count) bytes, not \(targetSize)") }
        return result
    }

    private func damaged(_ file: PackFile, _ offset: Int, _ reason: String) -> PackError {
        PackError(pack: file.path, offset: offset, reason: reason)
    }
}
