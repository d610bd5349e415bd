using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>WR01: coalesce(1) / repartition(1) before a write.</summary>
internal sealed class Wr01SinglePartitionWrite : IRule
{
    public string Id => "WR01";

    public string Title => "coalesce(1) / repartition(1) before a write";

    public string Why => "The whole output is written by one task: the last stage runs on one core, and large outputs spill or fail.";

    public string Replacement => "Let Delta size the files (optimized writes / OPTIMIZE), or repartition by the partition columns.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        var writes = context.Of<WriteFact>().Where(w => w.Frame is not null).ToArray();
        return context.Of<RepartitionFact>()
            .Where(r => r.Partitions == 1 && writes.Any(w => w.File == r.File && w.Line >= r.Line && (w.Frame!.Has(FrameTraits.SinglePartition) || w.Frame.Id == r.Frame.Id)))
            .Select(r => new RuleHit(r.File, r.Line, r.Line, $"{r.Method}(1) funnels the write through a single task", r.Function));
    }
}
