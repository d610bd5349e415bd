using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>Python's round() (half to even, on binary floats) or bround on values that Spark
/// would round half up.</summary>
internal sealed class RoundHalfEven : IDefectDetector
{
    public string Kind => "round_half_even";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        foreach (var fact in context.Of<DriverOpFact>().Where(f => f.Operation == "round_half_even"))
        {
            yield return new DefectHit(
                fact.File,
                fact.Line,
                "Python round() on a value computed from row data",
                "Python rounds half to even on the binary float (2.675 -> 2.67), Spark's round() rounds half up on decimals; amounts ending in 5 differ by a cent. The rewrite must reproduce Python's rounding (P1).",
                0.7);
        }

        foreach (var fact in context.Of<ExpressionFact>().Where(f => f.Operation == "round_half_even"))
        {
            yield return new DefectHit(fact.File, fact.Line, "bround() rounds half to even", "Banker's rounding differs from the half-up rounding reports usually expect.", 0.5);
        }
    }
}
