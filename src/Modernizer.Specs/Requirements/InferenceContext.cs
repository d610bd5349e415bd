using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using Modernizer.Specs.Data;
using Modernizer.Specs.Jobs;

namespace Modernizer.Specs.Requirements;

/// <summary>What the requirement builders share while inferring one job: its inputs, the lake session,
/// the column lineage index and the list being built (ids are given in creation order).</summary>
internal sealed class InferenceContext(JobInputs inputs, LakeSession lake)
{
    private readonly List<Requirement> _requirements = [];

    public JobInputs Inputs { get; } = inputs;

    public LakeSession Lake { get; } = lake;

    public List<string> Notes { get; } = [];

    public IReadOnlyList<Requirement> Requirements => _requirements;

    public Requirement Add(RequirementKind kind, string category, string statement, double confidence, IEnumerable<RequirementEvidence> evidence, Func<Requirement, Requirement>? more = null)
    {
        var list = evidence.ToImmutableArray();
        var requirement = new Requirement(
            "REQ-" + (_requirements.Count + 1).ToString("000", CultureInfo.InvariantCulture),
            kind,
            category,
            statement,
            Math.Round(confidence, 2),
            Verified(list) ? RequirementStatus.Verified : RequirementStatus.Unverified,
            list);
        requirement = more?.Invoke(requirement) ?? requirement;
        _requirements.Add(requirement);
        return requirement;
    }

    public void Replace(Requirement requirement)
    {
        var index = _requirements.FindIndex(r => r.Id == requirement.Id);
        _requirements[index] = requirement with { Status = Verified(requirement.Evidence) ? RequirementStatus.Verified : RequirementStatus.Unverified };
    }

    /// <summary>Verified when a data query backs the statement (P1); code alone leaves it unverified.</summary>
    public static bool Verified(ImmutableArray<RequirementEvidence> evidence) =>
        evidence.Any(e => e.Kind != EvidenceSource.Code && e.Query is not null && e.Supports);

    /// <summary>Runs an evidence query; a query the engine rejects is noted, not fatal (the requirement stays unverified).</summary>
    public async Task<QueryRecord?> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        try
        {
            return await Lake.QueryAsync(sql, cancellationToken);
        }
        catch (DbException e)
        {
            Notes.Add($"evidence query failed ({FirstLine(e.Message)}): {sql}");
            return null;
        }
    }

    public bool HasTable(string table) => Lake.Has(table);

    /// <summary>The lake columns of a table (name → Spark type), empty when it is not in the lake.</summary>
    public ImmutableArray<(string Name, string Type)> ColumnsOf(string table) =>
        Lake.Tables.TryGetValue(table, out var snapshot) ? [.. snapshot.Schema.Select(f => (f.Name, f.Type.SparkSql))] : [];

    public bool HasColumn(string table, string column) => ColumnsOf(table).Any(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));

    /// <summary>Output columns (<c>curated.t.c</c>) whose lineage reads <paramref name="sourceColumn"/> directly (<c>raw.t.c</c>).</summary>
    public IEnumerable<(string Table, string Column)> OutputsOf(string sourceColumn)
    {
        foreach (var (target, sources) in Inputs.Analysis.ColumnLineageMap)
        {
            if (sources.Contains(sourceColumn, StringComparer.OrdinalIgnoreCase))
            {
                var cut = target.LastIndexOf('.');
                yield return (target[..cut], target[(cut + 1)..]);
            }
        }
    }

    /// <summary>The output column carrying <paramref name="sourceColumn"/> unchanged under the same name, if any.</summary>
    public (string Table, string Column)? IdentityOutput(string sourceColumn)
    {
        var name = sourceColumn[(sourceColumn.LastIndexOf('.') + 1)..];
        foreach (var (table, column) in OutputsOf(sourceColumn))
        {
            if (string.Equals(column, name, StringComparison.OrdinalIgnoreCase) && HasTable(table) && HasColumn(table, column))
            {
                return (table, column);
            }
        }

        return null;
    }

    public string SourceEvidenceReference(string table) => Lake.Reference(table);

    private static string FirstLine(string message) => message.Split('\n')[0];
}
