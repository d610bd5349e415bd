using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>Floor division of data values (Python <c>//</c>, Spark <c>DIV</c>) that truncates a ratio.</summary>
internal sealed class IntegerDivision : IDefectDetector
{
    public string Kind => "integer_division";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        var modulos = context.Of<DriverOpFact>().Where(f => f.Operation == "modulo").Select(f => (f.File, f.Function, f.Detail)).ToHashSet();
        foreach (var division in context.Of<DriverOpFact>().Where(f => f.Operation == "integer_division"))
        {
            // a // b next to a % b is deliberate integer arithmetic (packs and remainders).
            if (modulos.Contains((division.File, division.Function, division.Detail)))
            {
                continue;
            }

            var operands = division.Detail.Split('|');
            yield return new DefectHit(
                division.File,
                division.Line,
                $"floor division {operands[0]} // {(operands.Length > 1 ? operands[1] : "?")} rounds the result down to a whole number",
                "Python's // floors (toward negative infinity: -7 // 2 is -4, where Spark's DIV gives -3) and discards the fraction (small values become 0); a ratio or rate was most likely meant. The legacy output keeps the floor (P1).",
                0.7);
        }

        foreach (var expression in context.Of<ExpressionFact>().Where(f => f.Operation == "integer_division"))
        {
            yield return new DefectHit(expression.File, expression.Line, $"floor division {expression.Sql} rounds the result down", "Floor division of columns discards the fraction and rounds toward negative infinity (not toward zero as DIV would).", 0.6);
        }

        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "integer_division"))
            {
                yield return new DefectHit(sql.File, sql.FileLine(finding.RelativeLine), "SQL DIV truncates the result to an integer", "Integral division discards the fraction.", 0.6);
            }
        }
    }
}
