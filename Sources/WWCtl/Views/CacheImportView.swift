import CacheOps

/// `cache import`: what was restored and what was left alone.
struct CacheImportResult: Renderable {
    var report: ImportReport
    var records: Int

    func renderText(_ context: RenderContext) -> String {
        "restored \(grouped(report.restored)) of \(grouped(records)) keys"
            + (report.replaced > 0 ? " (\(grouped(report.replaced)) replaced)" : "")
            + (report.skippedExisting > 0 ? "; \(grouped(report.skippedExisting)) left alone (they exist; --replace overwrites them)" : "")
            + (report.skippedExpired > 0 ? "; \(grouped(report.skippedExpired)) skipped (expired since the export)" : "")
            + "\n"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.restored, forKey: .restored)
        try c.encode(report.replaced, forKey: .replaced)
        try c.encode(report.skippedExisting, forKey: .skippedExisting)
        try c.encode(report.skippedExpired, forKey: .skippedExpired)
        try c.encode(records, forKey: .records)
    }

    enum CodingKeys: String, CodingKey { case restored, replaced, skippedExisting, skippedExpired, records }
}
