using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>SQL01: SELECT * in SQL text.</summary>
internal sealed class Sql01SelectStar : IRule
{
    public string Id => "SQL01";

    public string Title => "SELECT *";

    public string Why => "Reads every column (no pruning on wide tables) and silently changes the output when the source schema changes.";

    public string Replacement => "List the columns the job uses.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context) =>
        context.Of<SqlFact>()
            .SelectMany(sql => sql.Summary.Findings.Where(f => f.Kind == "select_star").Select(f => (sql, f)))
            .Select(x => new RuleHit(x.sql.File, x.sql.FileLine(x.f.RelativeLine), x.sql.FileLine(x.f.RelativeLine), $"SELECT {x.f.Detail} reads every column", x.sql.Function));
}
