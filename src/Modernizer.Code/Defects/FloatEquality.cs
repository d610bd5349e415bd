using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>Exact equality on fractional values (sums of doubles, money as double).</summary>
internal sealed class FloatEquality : IDefectDetector
{
    public string Kind => "float_equality";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        foreach (var fact in context.Of<ExpressionFact>().Where(f => f.Operation == "float_equality"))
        {
            yield return new DefectHit(fact.File, fact.Line, $"exact comparison {fact.Sql}",
                "Doubles carry representation error (0.1 + 0.2 != 0.3); sums of amounts differ by 1e-14 and compare unequal. The legacy result keeps those rows (P1).", 0.65);
        }

        foreach (var fact in context.Of<DriverOpFact>().Where(f => f.Operation == "float_equality"))
        {
            yield return new DefectHit(fact.File, fact.Line, fact.Detail, "Exact equality on floats depends on representation error.", 0.55);
        }

        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "float_equality"))
            {
                yield return new DefectHit(sql.File, sql.FileLine(finding.RelativeLine), "SQL " + finding.Detail, "Exact equality on fractional values depends on representation error.", 0.55);
            }
        }
    }
}
