#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Long base64, hex and percent-encoded runs anywhere in a file, decoded when what they hide is
/// text: a service-account JSON base64'd into an environment variable, a connection string
/// hex-encoded in a config, a URL-encoded token in a link. The decoded text is scanned like a
/// file (see `EncodedValueDecoder`), and a credential found inside is fingerprinted on its decoded
/// value, so it groups with its plain copies.
///
/// Linear by construction, and cheap on ordinary text: the buffer is sampled every `stride` bytes,
/// and since a run of `minimumRun` (two strides) or more always covers two consecutive samples, a
/// run is measured only where two samples in a row are in the alphabet (inside words and
/// identifiers they rarely are). A run is measured once and skipped past, and each decoded value
/// is capped at `maximumRun` bytes.
enum EncodedRuns {
    /// Shortest run worth decoding: 32 base64 characters hold 24 bytes, enough for a key or a
    /// `user:password`; shorter runs are mostly identifiers and hashes.
    static let minimumRun = 32
    static let stride = 16
    /// Longest run decoded; longer ones are bundles and embedded media.
    static let maximumRun = 64 * 1024
    /// Fewest percent escapes for a run to count as URL-encoded.
    static let minimumEscapes = 3

    /// Bytes that may appear in a base64 (standard or URL-safe) run; `=` padding only ends one.
    /// A 256-entry table kept in raw memory for the life of the process: the sampling loop reads
    /// it once per 16 bytes of every file, where an array's bounds check showed in profiles. It is
    /// never written after initialisation, so sharing it between threads is safe.
    nonisolated(unsafe) private static let base64Byte: UnsafePointer<Bool> = {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        table.initialize(repeating: false, count: 256)
        for byte in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".utf8 { table[Int(byte)] = true }
        return UnsafePointer(table)
    }()

    /// Bytes of a URL-encoded run: unreserved characters, the escapes' `%`, and the separators a
    /// query string keeps unencoded.
    private static let urlByte: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%+=&".utf8 { table[Int(byte)] = true }
        return table
    }()

    static func values(in buffer: UnsafeRawBufferPointer, excluding takenValues: [EncodedValueDecoder.Value],
                       oversized: inout Int) -> [EncodedValueDecoder.Value] {
        var result = [EncodedValueDecoder.Value]()
        let count = buffer.count
        guard count >= minimumRun else { return result }
        let taken = OverlapIndex(takenValues.map(\.location))
        var position = stride - 1
        while position + stride < count {
            // A run worth measuring holds every byte from this sample to the next: three bytes
            // between them turn away most pairs of samples that merely land in two words.
            guard base64Byte[Int(buffer[position])], base64Byte[Int(buffer[position + stride])],
                  base64Byte[Int(buffer[position + stride / 2])], base64Byte[Int(buffer[position + stride / 4])],
                  base64Byte[Int(buffer[position + 3 * stride / 4])] else {
                position += stride
                continue
            }
            var start = position, end = position + 1
            while start > 0 && base64Byte[Int(buffer[start - 1])] { start -= 1 }
            while end < count && base64Byte[Int(buffer[end])] { end += 1 }
            var padded = end
            while padded < count && padded - end < 2 && buffer[padded] == UInt8(ascii: "=") { padded += 1 }
            defer { position = max(position + stride, end + stride) }
            let length = end - start
            if length > maximumRun { oversized += 1 }
            guard length >= minimumRun, length <= maximumRun, !taken.overlapsAny(start..<end) else { continue }
            let run = UnsafeRawBufferPointer(rebasing: buffer[start..<padded])
            if let decoded = decode(run), EncodedValueDecoder.isText(decoded.text) {
                result.append(EncodedValueDecoder.Value(location: start..<padded, synthetic: decoded.text, encoding: decoded.encoding,
                                                         isStructural: false))
            }
        }
        result += percentEncoded(in: buffer, excluding: OverlapIndex(takenValues.map(\.location) + result.map(\.location)),
                                 oversized: &oversized)
        return result
    }

    /// A run as hex (an even number of hex digits) or else as base64 (standard or URL-safe).
    /// Most long runs are hashes, keys and binary blobs: the first 32 characters are decoded
    /// first, and the rest only when those decode to text.
    private static func decode(_ run: UnsafeRawBufferPointer) -> (text: [UInt8], encoding: String)? {
        if run.count > minimumRun {
            guard let head = decode(UnsafeRawBufferPointer(rebasing: run[0..<minimumRun])),
                  EncodedValueDecoder.isText(head.text) else { return nil }
        }
        if run.count % 2 == 0, run.allSatisfy({ isHexDigit($0) }) {
            var bytes = [UInt8]()
            bytes.reserveCapacity(run.count / 2)
            var index = 0
            while index < run.count {
                bytes.append(hexValue(run[index]) << 4 | hexValue(run[index + 1]))
                index += 2
            }
            return (bytes, "hex")
        }
        // A run mixing `+/` with `-_` is no single alphabet; padding only at the end.
        let urlSafe = run.contains(UInt8(ascii: "-")) || run.contains(UInt8(ascii: "_"))
        var body = run[...]
        while body.last == UInt8(ascii: "=") { body = body.dropLast() }
        guard let decoded = Base64.decode(body, urlSafe: urlSafe) else { return nil }
        return (decoded, "base64")
    }

    /// Runs with at least `minimumEscapes` `%XX` escapes, percent-decoded (`+` stays `+`: only
    /// form bodies use it for a space, and a `+` inside a key is more common).
    private static func percentEncoded(in buffer: UnsafeRawBufferPointer, excluding taken: OverlapIndex,
                                       oversized: inout Int) -> [EncodedValueDecoder.Value] {
        var result = [EncodedValueDecoder.Value]()
        guard let base = buffer.baseAddress else { return result }
        let count = buffer.count
        var position = 0
        while position < count, let found = memchr(base + position, 0x25, count - position) {
            let percent = base.distance(to: UnsafeRawPointer(found))
            var start = percent, end = percent + 1
            while start > 0 && urlByte[Int(buffer[start - 1])] { start -= 1 }
            while end < count && urlByte[Int(buffer[end])] { end += 1 }
            position = end
            if end - start > maximumRun { oversized += 1 }
            guard end - start >= minimumRun / 2, end - start <= maximumRun,
                  !taken.overlapsAny(start..<end) else { continue }
            var decoded = [UInt8]()
            var escapes = 0, index = start
            while index < end {
                let byte = buffer[index]
                if byte == 0x25, index + 2 < end, isHexDigit(buffer[index + 1]), isHexDigit(buffer[index + 2]) {
                    decoded.append(hexValue(buffer[index + 1]) << 4 | hexValue(buffer[index + 2]))
                    escapes += 1
                    index += 3
                } else {
                    decoded.append(byte)
                    index += 1
                }
            }
            guard escapes >= minimumEscapes, EncodedValueDecoder.isText(decoded) else { continue }
            result.append(EncodedValueDecoder.Value(location: start..<end, synthetic: decoded, encoding: "percent", isStructural: false))
        }
        return result
    }

    @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70)
    }

    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8 {
        byte <= 57 ? byte - 48 : (byte | 0x20) - 87
    }
}

/// UTF-16 text (PowerShell scripts, .NET configs and `.reg` exports saved by Windows tools): found
/// by its byte-order mark, or without one by the NUL in every other byte of ASCII text, and
/// transcoded to UTF-8 so that it is scanned, not skipped as binary.
enum UTF16Text {
    enum ByteOrder { case little, big }

    /// The byte order of `buffer` if it is UTF-16 text; nil for anything else.
    static func byteOrder(of buffer: UnsafeRawBufferPointer) -> ByteOrder? {
        let count = buffer.count
        guard count >= 2 else { return nil }
        // A mark counts when the text has the NUL high bytes of ASCII characters too: `FF FE` also
        // starts files that are neither (a Latin-1 `ÿþ`, binary data).
        if buffer[0] == 0xFF && buffer[1] == 0xFE || buffer[0] == 0xFE && buffer[1] == 0xFF,
           let base = buffer.baseAddress, memchr(base, 0, min(buffer.count, FileReader.sniffLength)) != nil {
            return buffer[0] == 0xFF ? .little : .big
        }
        // No mark: ASCII-range text has a NUL in one half of the pairs and almost none in the other.
        let sample = min(count, FileReader.sniffLength) & ~1
        guard sample >= 16 else { return nil }
        var evenZero = 0, oddZero = 0
        var index = 0
        while index < sample {
            if buffer[index] == 0 { evenZero += 1 }
            if buffer[index + 1] == 0 { oddZero += 1 }
            index += 2
        }
        let pairs = sample / 2
        if oddZero * 10 >= pairs * 9 && evenZero * 50 <= pairs { return .little }
        if evenZero * 10 >= pairs * 9 && oddZero * 50 <= pairs { return .big }
        return nil
    }

    /// UTF-8 of `buffer` read as UTF-16 in `order` (a leading mark dropped; unpaired surrogates
    /// become U+FFFD, as a decoder must).
    static func transcode(_ buffer: UnsafeRawBufferPointer, _ order: ByteOrder) -> [UInt8] {
        var units = [UInt16]()
        units.reserveCapacity(buffer.count / 2)
        var index = 0
        while index + 1 < buffer.count {
            let unit = order == .little ? UInt16(buffer[index]) | UInt16(buffer[index + 1]) << 8
                                        : UInt16(buffer[index]) << 8 | UInt16(buffer[index + 1])
            units.append(unit)
            index += 2
        }
        if units.first == 0xFEFF { units.removeFirst() }
        var output = [UInt8]()
        output.reserveCapacity(units.count)
        for scalar in Unicode.UTF16.decode(units) { output += Array(String(scalar).utf8) }
        return output
    }
}

private extension Unicode.UTF16 {
    /// The scalars of `units`, U+FFFD for each ill-formed sequence.
    static func decode(_ units: [UInt16]) -> [Unicode.Scalar] {
        var scalars = [Unicode.Scalar]()
        scalars.reserveCapacity(units.count)
        var iterator = units.makeIterator()
        var decoder = Unicode.UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: scalars.append("\u{FFFD}")
            }
        }
        return scalars
    }
}
