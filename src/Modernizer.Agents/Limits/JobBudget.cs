using System.Collections.Concurrent;
using System.Globalization;

namespace Modernizer.Agents.Limits;

/// <summary>Model spend of one job over all its stages, checked before every model call (R5.2 limits in
/// code). Thread-safe: stages of different jobs run in parallel, each with its own budget.</summary>
public sealed class JobBudget
{
    private readonly Lock _gate = new();
    private long _inputTokens;
    private long _outputTokens;
    private decimal _costUsd;

    public JobBudget(string scope, long maxTokens, decimal maxCostUsd, UsageSnapshot carriedOver = default)
    {
        Scope = scope;
        MaxTokens = maxTokens;
        MaxCostUsd = maxCostUsd;
        CarriedOver = carriedOver;
        _inputTokens = carriedOver.InputTokens;
        _outputTokens = carriedOver.OutputTokens;
        _costUsd = carriedOver.CostUsd;
    }

    /// <summary>Spend of earlier runs (from the decision log) that this budget started from.</summary>
    public UsageSnapshot CarriedOver { get; }

    /// <summary>The job id, or "portfolio" for tier-1 stages.</summary>
    public string Scope { get; }

    public long MaxTokens { get; }

    public decimal MaxCostUsd { get; }

    public UsageSnapshot Spent
    {
        get
        {
            lock (_gate)
            {
                return new UsageSnapshot(_inputTokens, _outputTokens, _costUsd);
            }
        }
    }

    /// <summary>Throws <see cref="BudgetExceededException"/> when the job has no budget left.</summary>
    public void EnsureAvailable()
    {
        var spent = Spent;
        if (spent.TotalTokens >= MaxTokens)
        {
            throw new BudgetExceededException(string.Create(CultureInfo.InvariantCulture,
                $"Job '{Scope}' has spent {spent.TotalTokens} of its {MaxTokens} model tokens."));
        }

        if (spent.CostUsd >= MaxCostUsd)
        {
            throw new BudgetExceededException(string.Create(CultureInfo.InvariantCulture,
                $"Job '{Scope}' has spent ${spent.CostUsd:0.0000} of its ${MaxCostUsd:0.00} model budget."));
        }
    }

    public void Charge(long inputTokens, long outputTokens, decimal costUsd)
    {
        lock (_gate)
        {
            _inputTokens += inputTokens;
            _outputTokens += outputTokens;
            _costUsd += costUsd;
        }
    }
}

/// <summary>Tokens and dollars spent.</summary>
public readonly record struct UsageSnapshot(long InputTokens, long OutputTokens, decimal CostUsd)
{
    public long TotalTokens => InputTokens + OutputTokens;

    public static UsageSnapshot operator -(UsageSnapshot a, UsageSnapshot b) =>
        new(a.InputTokens - b.InputTokens, a.OutputTokens - b.OutputTokens, a.CostUsd - b.CostUsd);
}

/// <summary>The budgets of every job in one run, created on first use from the configured limits.</summary>
public sealed class BudgetLedger(long maxTokensPerJob, decimal maxCostPerJobUsd)
{
    private readonly ConcurrentDictionary<string, JobBudget> _budgets = new(StringComparer.Ordinal);

    public JobBudget For(string scope) => _budgets.GetOrAdd(scope, s => new JobBudget(s, maxTokensPerJob, maxCostPerJobUsd));

    /// <summary>Whether this run already keeps a budget for <paramref name="scope"/>.</summary>
    public bool Has(string scope) => _budgets.ContainsKey(scope);

    /// <summary>Starts the budget of <paramref name="scope"/> from <paramref name="carriedOver"/> (spend of
    /// earlier runs) unless this run already keeps one: once this process has charged a scope, its own
    /// spend is in the budget and the log would count it twice. True when the seed was taken.</summary>
    public bool Seed(string scope, UsageSnapshot carriedOver) =>
        _budgets.TryAdd(scope, new JobBudget(scope, maxTokensPerJob, maxCostPerJobUsd, carriedOver));

    /// <summary>Spend per job so far, for <c>modernize status</c>.</summary>
    public IReadOnlyDictionary<string, UsageSnapshot> Spend() => _budgets.ToDictionary(p => p.Key, p => p.Value.Spent, StringComparer.Ordinal);
}

/// <summary>Spend of one judgment (possibly several model calls), which goes into its decision.</summary>
public sealed class UsageMeter
{
    private readonly Lock _gate = new();
    private UsageSnapshot _spent;

    public UsageSnapshot Spent
    {
        get
        {
            lock (_gate)
            {
                return _spent;
            }
        }
    }

    public void Add(long inputTokens, long outputTokens, decimal costUsd)
    {
        lock (_gate)
        {
            _spent = new UsageSnapshot(_spent.InputTokens + inputTokens, _spent.OutputTokens + outputTokens, _spent.CostUsd + costUsd);
        }
    }
}
