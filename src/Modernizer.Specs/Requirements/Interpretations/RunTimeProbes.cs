using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;
using static Modernizer.Specs.Requirements.Interpretations.ProbeHelpers;

namespace Modernizer.Specs.Requirements.Interpretations;

/// <summary>A filter whose value is known only at run time: did the legacy run use the job's parameter
/// defaults? The range of the filtered column in the legacy output answers when it starts or ends on a default.</summary>
internal sealed partial class RunTimeFilterProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) =>
        requirement.Category == "filter" && SiteOf<FilterSite>(context, requirement) is { RunTimeValue: true } filter && filter.Columns.Any(c => c.IsInput);

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var filter = SiteOf<FilterSite>(context, requirement)!;
        var defaults = DateDefaults(context);
        foreach (var column in filter.Columns.Where(c => c.IsInput))
        {
            if (context.IdentityOutput(column.Qualified) is not { } output || await context.QueryAsync(EvidenceQueries.Range(output.Table, output.Column), cancellationToken) is not { } range)
            {
                continue;
            }

            var min = range.Value("min");
            var max = range.Value("max");
            var hits = defaults.Where(d => d.Value == min || d.Value == max).Select(d => $"{d.Key}={d.Value}").ToList();
            var supported = hits.Count > 0;
            return new ProbeResult(
                [
                    Reading("a", "the run-time value is the job's default (" + string.Join(", ", defaults.Select(d => $"{d.Key}={d.Value}")) + ")", supported ? true : null, true,
                        supported ? $"the output's {output.Column} starts or ends on {string.Join(", ", hits)}" : $"the output's {output.Column} spans {min} .. {max}, on no default", range),
                    Reading("b", "the scheduler passes another value", supported ? false : null, false, supported ? "the output matches the defaults" : "cannot tell", range),
                ],
                supported ? Settled : requirement.Confidence,
                supported ? $"the legacy output of {output.Table} spans {min} .. {max}, matching the default parameters" : "the output range does not show the run-time value")
            {
                Evidence = [Output(context, output.Table, $"{output.Table}.{output.Column} spans {min} .. {max}", range)],
            };
        }

        return null;
    }

    /// <summary>Parameter defaults of job.yaml that are dates (<c>2026-10-31</c>, or the date part of a timestamp).</summary>
    public static Dictionary<string, string> DateDefaults(InferenceContext context) =>
        context.Inputs.Manifest.Parameters
            .Where(p => p.Value is not null && DatePrefix().IsMatch(p.Value))
            .ToDictionary(p => p.Key, p => DatePrefix().Match(p.Value!).Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex DatePrefix();
}

/// <summary>An assumption that a value takes its code default ('v'): if an output column holds exactly
/// that value (a date stamped on every row, a parameter echoed), the default was in force.</summary>
internal sealed partial class DefaultValueProbe : IInterpretationProbe
{
    public bool Applies(InferenceContext context, Requirement requirement) =>
        requirement.Category == "assumption" && Quoted().IsMatch(requirement.Statement) && requirement.Statement.Contains("default", StringComparison.OrdinalIgnoreCase);

    public async Task<ProbeResult?> ProbeAsync(InferenceContext context, Requirement requirement, CancellationToken cancellationToken)
    {
        var value = Quoted().Match(requirement.Statement).Groups[1].Value;
        var date = Date().Match(value);
        foreach (var target in context.Inputs.Targets.Where(context.HasTable))
        {
            foreach (var (name, type) in context.ColumnsOf(target).Where(c => date.Success ? c.Type is "date" or "timestamp" : c.Type == "string"))
            {
                var probe = date.Success ? $"max(CAST({SqlText.Identifier(name)} AS DATE)) = DATE {SqlText.Literal(date.Value)}" : $"bool_or({SqlText.Identifier(name)} = {SqlText.Literal(value)})";
                var query = await context.QueryAsync($"SELECT {probe} AS matches, count(*) AS rows FROM {SqlText.Table(target)}", cancellationToken);
                if (query?.Value("matches") != "true")
                {
                    continue;
                }

                return new ProbeResult(
                    [
                        Reading("a", $"the value is the code default '{value}'", true, true, $"{target}.{name} ({type}) reaches '{value}'", query),
                        Reading("b", "a scheduler passes another value", false, false, $"{target}.{name} shows the default", query),
                    ],
                    Settled,
                    $"the legacy output {target}.{name} shows the default '{value}'")
                {
                    Evidence = [Output(context, target, $"{target}.{name} reaches '{value}'", query)],
                };
            }
        }

        return null;
    }

    [GeneratedRegex(@"'([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex Date();
}
