using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>A broad except that only logs or passes, and DROPMALFORMED reads that drop bad records.</summary>
internal sealed class SwallowedException : IDefectDetector
{
    public string Kind => "swallowed_exception";

    public IEnumerable<DefectHit> Detect(DefectContext context) =>
        context.Of<ExceptFact>().Where(e => e.Swallowed && (e.Broad || e.Handling.StartsWith("bad records", StringComparison.Ordinal))).Select(e => new DefectHit(
            e.File,
            e.Line,
            e.Handling.StartsWith("bad records", StringComparison.Ordinal) ? $"malformed records are dropped silently ({e.Handling})" : "a broad except handler swallows the error",
            "Failures (or bad records) disappear without failing the run; downstream data is silently incomplete.",
            0.6));
}
