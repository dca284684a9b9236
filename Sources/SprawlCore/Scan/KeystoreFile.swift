import Foundation

/// Credentials that are whole binary files: PKCS#12 (`.p12`, `.pfx`) and Java keystores (`.jks`,
/// `.keystore`, JCEKS). They hold private keys and are committed as often as PEM keys, but a text
/// scanner skips them as binary. Recognised by their leading bytes, whatever the file is called,
/// and reported as one `certificate` credential fingerprinted over the file's bytes: the same
/// keystore copied to two places is one credential.
enum KeystoreFile: String {
    case pkcs12 = "pkcs12-keystore"
    case javaKeyStore = "java-keystore"

    var name: String {
        switch self {
        case .pkcs12: return "PKCS#12 keystore"
        case .javaKeyStore: return "Java keystore"
        }
    }

    /// The keystore format of `buffer`, from its header: JKS `FEEDFEED` or JCEKS `CECECECE` with a
    /// version of 1 or 2; PKCS#12 `PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, … }`
    /// in DER or BER.
    static func detect(_ buffer: UnsafeRawBufferPointer) -> KeystoreFile? {
        guard buffer.count >= 16 else { return nil }
        let magic = UInt32(buffer[0]) << 24 | UInt32(buffer[1]) << 16 | UInt32(buffer[2]) << 8 | UInt32(buffer[3])
        if magic == 0xFEED_FEED || magic == 0xCECE_CECE {
            let version = UInt32(buffer[4]) << 24 | UInt32(buffer[5]) << 16 | UInt32(buffer[6]) << 8 | UInt32(buffer[7])
            return version == 1 || version == 2 ? .javaKeyStore : nil
        }
        guard buffer[0] == 0x30 else { return nil }
        var index = 2
        switch buffer[1] {
        case 0x80: break                                   // BER, indefinite length
        case 0x81: index = 3
        case 0x82: index = 4
        case 0x83: index = 5
        case let short where short < 0x80: break
        default: return nil
        }
        guard index + 4 <= buffer.count, buffer[index] == 0x02, buffer[index + 1] == 0x01, buffer[index + 2] == 0x03,
              buffer[index + 3] == 0x30 else { return nil }
        return .pkcs12
    }
}

extension BlobScanner {
    /// A finding for a keystore blob at each origin; the fingerprint is over all its bytes.
    func keystoreFindings(_ format: KeystoreFile, _ buffer: UnsafeRawBufferPointer, origins: some Collection<Origin>,
                          into findings: inout [Finding]) {
        let fingerprint = fingerprinter.fingerprint(of: Array(buffer))
        for origin in origins {
            // Test suites ship keystores for their TLS tests: still a private key, at low confidence.
            let confidence: Confidence = GenericContext.isNonProduction(origin.pathInRepository) ? .low : .high
            var finding = Finding(
                rule: format.rawValue, kind: .certificate, path: origin.path, repository: origin.repository, line: 1, column: 1,
                fingerprint: fingerprint, redacted: "\(format.name), \(buffer.count) bytes", source: origin.source,
                secret: keepsSecrets ? "base64:" + Data(buffer).base64EncodedString() : nil, confidence: confidence)
            origin.stamp(&finding)
            finding.environment = Environment.of(path: origin.pathInRepository)
            finding.automation = Automation.of(path: origin.pathInRepository)
            findings.append(finding)
        }
    }
}
