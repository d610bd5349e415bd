using System.Collections.Concurrent;
using System.Diagnostics;
using Modernizer.Lake.Engines;

namespace Modernizer.Bench;

/// <summary>Wraps an engine and records the time of every statement, to show where a bench spends it.</summary>
internal sealed class TimingEngine(IQueryEngine inner) : IQueryEngine
{
    private readonly ConcurrentBag<(string Sql, double Seconds)> _timings = [];

    public string Name => inner.Name;

    public string Version => inner.Version;

    public SqlDialect Dialect => inner.Dialect;

    public async Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var result = await inner.QueryAsync(sql, parameters, cancellationToken);
        _timings.Add((sql, watch.Elapsed.TotalSeconds));
        return result;
    }

    public async Task<long> ExecuteAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var result = await inner.ExecuteAsync(sql, parameters, cancellationToken);
        _timings.Add((sql, watch.Elapsed.TotalSeconds));
        return result;
    }

    public void PrintSlowest(int count)
    {
        foreach (var (sql, seconds) in _timings.OrderByDescending(t => t.Seconds).Take(count))
        {
            var text = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
            Console.WriteLine($"  {seconds,7:0.00} s  {text[..Math.Min(150, text.Length)]}");
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
