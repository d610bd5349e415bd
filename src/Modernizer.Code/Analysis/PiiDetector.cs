using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Code.Frontend;

namespace Modernizer.Code.Analysis;

/// <summary>PII/PHI by column name (and by value pattern when a profile is given). A finding
/// reaches a curated output when a written column of a non-raw table carries it without a
/// masking step (hash, mask, drop; a hashed name such as <c>email_sha256</c> counts as masked).</summary>
internal static partial class PiiDetector
{
    private static readonly (string Category, Regex Pattern)[] Names =
    [
        ("email", NameRegex(@"(^|_)e?mail(_address)?$")),
        ("phone", NameRegex(@"(^|_)(phone|mobile|telephone|msisdn)(_number|_no)?$")),
        ("name", NameRegex(@"^(first|last|full|middle|given|family|sur)_?name$|^(customer|contact|patient|person)_name$")),
        ("birth_date", NameRegex(@"(^|_)(birth_?date|date_of_birth|dob|birthday)$")),
        ("national_id", NameRegex(@"(^|_)(ssn|social_security(_number)?|national_id|passport(_number|_no)?|tax_id|nin)$")),
        ("address", NameRegex(@"(^|_)(street|address(_line_?\d)?|home_address|postal_address)$")),
        ("payment_card", NameRegex(@"(^|_)(card_number|credit_card|pan|iban|account_number)$")),
        ("ip_address", NameRegex(@"(^|_)ip(_address)?$")),
        ("health", NameRegex(@"(^|_)(diagnosis|icd_?10|medical_record|mrn|prescription|condition_code|patient_id)$")),
    ];

    private static readonly Regex Masked = NameRegex(@"(sha|hash|md5|mask|token|encrypt|pseudonym|hmac)");

    public static ImmutableArray<PiiFinding> Detect(IReadOnlyList<Fact> facts, ImmutableArray<ColumnLineageEntry> lineage, AnalyzerOptions options)
    {
        var masked = facts.OfType<MaskFact>().Select(m => m.Column).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var findings = new List<PiiFinding>();
        foreach (var entry in lineage.Where(e => e.TargetColumn != "*"))
        {
            var category = Classify(entry.TargetColumn) ?? entry.Inputs.Where(i => i.Type == "DIRECT").Select(i => Classify(i.Column)).FirstOrDefault(c => c is not null);
            category ??= ProfileCategory(entry, options);
            if (category is null)
            {
                continue;
            }

            var isMasked = masked.Contains(entry.TargetColumn) || Masked.IsMatch(entry.TargetColumn);
            var curated = IsCurated(entry.TargetTable, options);
            var evidence = entry.Inputs.Where(i => i.Type == "DIRECT").Select(i => i.Table + "." + i.Column).FirstOrDefault() ?? "column name";
            findings.Add(new PiiFinding(entry.TargetColumn, category, entry.TargetTable, isMasked, curated && !isMasked, evidence));
        }

        return [.. findings.OrderBy(f => f.TargetTable, StringComparer.Ordinal).ThenBy(f => f.Column, StringComparer.Ordinal)];
    }

    public static bool IsCurated(string table, AnalyzerOptions options)
    {
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        var schema = dot < 0 ? string.Empty : table[..dot];
        return dot > 0 && !options.NonCuratedSchemas.Contains(schema, StringComparer.OrdinalIgnoreCase) && !table.StartsWith("path:", StringComparison.Ordinal);
    }

    private static string? Classify(string column)
    {
        var name = column.ToLowerInvariant();
        return Names.FirstOrDefault(n => n.Pattern.IsMatch(name)).Category;
    }

    private static string? ProfileCategory(ColumnLineageEntry entry, AnalyzerOptions options)
    {
        foreach (var input in entry.Inputs.Where(i => i.Type == "DIRECT"))
        {
            var profile = options.Profiles.FirstOrDefault(p => string.Equals(p.Table, input.Table, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Column, input.Column, StringComparison.OrdinalIgnoreCase));
            if (profile is null || profile.SampleValues.IsEmpty)
            {
                continue;
            }

            if (profile.SampleValues.Count(v => EmailValue().IsMatch(v)) * 2 > profile.SampleValues.Length)
            {
                return "email";
            }

            if (profile.SampleValues.Count(v => PhoneValue().IsMatch(v)) * 2 > profile.SampleValues.Length)
            {
                return "phone";
            }
        }

        return null;
    }

    private static Regex NameRegex(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex EmailValue();

    [GeneratedRegex(@"^\+?[\d\s\-().]{7,}$")]
    private static partial Regex PhoneValue();
}
