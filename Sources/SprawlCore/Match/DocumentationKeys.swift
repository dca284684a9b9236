/// Keys published in providers' documentation and emulators: never live credentials, yet in
/// every real format. Rejected for every rule.
enum DocumentationKeys {
    /// Azure Storage emulator (Azurite) account key, the same in every installation.
    static let azureStorageEmulatorKey = Array("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==".utf8)
    /// AWS documentation keys (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`)
    /// and the others providers write the same way carry the upper-case word EXAMPLE; a random
    /// key holds it with a probability of about 1 in 36^7 per position.
    static let exampleMarker = Array("EXAMPLE".utf8)

    /// The OAuth client secret that the Google Cloud SDK ships to every user and writes into
    /// application-default credentials: public by design (an installed app's secret).
    static let gcloudClientSecret = Array("d-FL95Q19q7MQmFpd7hHD0Ty".utf8)

    static func isDocumented(_ secret: UnsafeRawBufferPointer) -> Bool {
        if secret.count >= 7 && secret.containsBytes(exampleMarker) { return true }
        if secret.elementsEqual(gcloudClientSecret) { return true }

        return secret.count == azureStorageEmulatorKey.count && secret.elementsEqual(azureStorageEmulatorKey)
    }
}
