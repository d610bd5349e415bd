using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Frontend;

namespace Modernizer.Code.Analysis;

/// <summary>Ambiguities recorded as assumptions (R2.1): values unknown before run time, widget
/// defaults, and magic numbers inside data logic. Each carries a rationale and a confidence; the
/// Requirements Inferencer revisits those below 0.8 against the data profiles.</summary>
internal static class AssumptionBuilder
{
    private const int MaxMagicNumbers = 15;

    public static ImmutableArray<Assumption> Build(IReadOnlyList<Fact> facts, ImmutableDictionary<string, string> parameters, IReadOnlyDictionary<string, string> widgetDefaults, IReadOnlyList<NotUnderstoodFile> notUnderstood)
    {
        var assumptions = new List<(string File, int Line, string Statement, string Rationale, double Confidence, ImmutableArray<string> Alternatives)>();

        // Blindness is said out loud: "no findings" in a file the analysis did not understand
        // is not evidence of clean code.
        foreach (var file in notUnderstood)
        {
            assumptions.Add((file.File, 0, $"{file.File} was not fully understood ({file.Reason.Replace('_', ' ')}); findings and lineage may miss what it does",
                file.Detail, 0.3, ["the file does data work the analysis cannot see"]));
        }

        foreach (var unresolved in facts.OfType<UnresolvedFact>().DistinctBy(u => (u.File, u.Line, u.What)))
        {
            assumptions.Add((unresolved.File, unresolved.Line, $"{unresolved.What} is not known before run time",
                $"{unresolved.Reason}; lineage uses the placeholder and lowers its confidence", 0.5, ["the value differs per run"]));
        }

        foreach (var (widget, value) in widgetDefaults.Where(w => !parameters.ContainsKey(w.Key)).OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            assumptions.Add((facts.FirstOrDefault()?.File ?? string.Empty, 0, $"widget '{widget}' takes its code default '{value}'",
                "job.yaml has no value for it; scheduled runs may pass another value", 0.7, ["a scheduler passes another value"]));
        }

        foreach (var setting in facts.OfType<SettingDefaultFact>().DistinctBy(s => s.Setting))
        {
            assumptions.Add((setting.File, setting.Line, $"run-time setting {setting.Setting} takes its code default '{setting.Value}'",
                "no configuration supplies it in the job's files; the rewrite exposes it as a parameter with this default", 0.7, ["the scheduler sets another value"]));
        }

        var dataLines = facts.Where(f => f is FilterFact or ExpressionFact or DriverOpFact or AggregateFact or WindowFact or FrameOpFact or JoinFact)
            .Select(f => (f.File, f.Line)).ToHashSet();
        var numbers = facts.OfType<NumberFact>()
            .Where(n => dataLines.Contains((n.File, n.Line)) || n.Context.StartsWith("constant ", StringComparison.Ordinal))
            .DistinctBy(n => (n.File, n.Line, n.Value))
            .Take(MaxMagicNumbers);
        foreach (var number in numbers)
        {
            assumptions.Add((number.File, number.Line, $"the constant {number.Value} in {number.Context} is a business rule, taken as written",
                "a literal in data logic with no name or comment explaining it; the rewrite keeps the value and names it", 0.75,
                ["the value is a default that configuration should supply"]));
        }

        return [.. assumptions.Select((a, i) => new Assumption("A" + (i + 1).ToString("00", CultureInfo.InvariantCulture), a.File, a.Line, a.Statement, a.Rationale, a.Confidence, a.Alternatives))];
    }
}
