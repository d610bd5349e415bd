using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>A data value tested for truth: 0, 0.0, "" and Decimal('0') count as missing.</summary>
internal sealed class Truthiness : IDefectDetector
{
    public string Kind => "truthiness";

    public IEnumerable<DefectHit> Detect(DefectContext context) =>
        context.Of<DriverOpFact>().Where(f => f.Operation == "truthiness").Select(f => new DefectHit(
            f.File,
            f.Line,
            f.Detail,
            "A truth test treats zero and empty values like None; a legitimate 0 takes the 'missing' branch. The rewrite keeps this behaviour (P1) and the spec lists it as a suspected defect.",
            0.75));
}
