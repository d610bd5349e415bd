using System.Collections.Immutable;

namespace Modernizer.Domain.Policy;

/// <summary>R1.1: what the Portfolio Scanner knows about one job's metadata. Ranks are 1-based
/// positions by data volume and by run frequency; null when unknown.</summary>
public sealed record MetadataFact(JobId Job, bool CompletelyMissing, int? VolumeRank, int? FrequencyRank);

/// <summary>R1.2: the monthly cost of one job by the inventory and by the finance reports.</summary>
public sealed record CostFact(JobId Job, decimal InventoryUsdPerMonth, decimal FinanceUsdPerMonth);

/// <summary>R1.2: the SLA-breach pattern of one job and whether its tickets point at a data-quality
/// issue reaching downstream consumers.</summary>
public sealed record SlaBreachFact(JobId Job, int Breaches, bool DataQualityIssue, bool DownstreamImpact);

/// <summary>R1.3: one ranked candidate and its tags.</summary>
public sealed record CandidateFact(int Rank, JobId Job, ImmutableArray<string> Tags);

/// <summary>R2.1: a personal-data column a job handles, and whether it reaches a curated output
/// unmasked under a compliance regime.</summary>
public sealed record PiiFact(JobId Job, string Column, bool ReachesOutputUnmasked, bool ComplianceRegime);

/// <summary>R2.2: rows of a curated table against the rows of its raw inputs.</summary>
public sealed record RowCountFact(JobId Job, string Table, long RawRows, long CuratedRows, bool ExplainableFanout);

/// <summary>R2.3: a requirement with its regulation tag (null when none) and its confidence.</summary>
public sealed record RequirementFact(JobId Job, string RequirementId, string? Regulation, Confidence Confidence, bool ContradictsAnotherChangingOutput);

/// <summary>R4.4/X4: a reconciliation verdict, the columns that mismatched and how many rewrite
/// attempts have been made so far.</summary>
public sealed record ReconciliationFact(JobId Job, double MatchRate, ImmutableArray<string> MismatchedColumns, int AttemptsSoFar);
