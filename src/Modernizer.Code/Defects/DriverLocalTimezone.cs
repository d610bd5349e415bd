using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>Dates and times taken in the driver's local time zone.</summary>
internal sealed class DriverLocalTimezone : IDefectDetector
{
    public string Kind => "driver_local_timezone";

    public IEnumerable<DefectHit> Detect(DefectContext context) =>
        context.Of<DriverOpFact>()
            .Where(f => f.Operation == "driver_local_timezone" && (f.OnData || f.Detail.Contains("fromtimestamp", StringComparison.Ordinal)))
            .Select(f => new DefectHit(
                f.File,
                f.Line,
                f.Detail,
                "Without an explicit tz the conversion uses the driver machine's zone, so the date depends on where the job runs (a UTC instant after midnight lands on the previous local day). The rewrite pins the legacy zone (P1).",
                0.7));
}
