using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Safety;
using Modernizer.Code.Lifting;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Rewriting;

/// <summary>What the runner asks the model for: the refused job, its tables and what the gates said
/// about earlier proposals.</summary>
public sealed record ModelRewriteRequest(
    JobId Job,
    string CodeFolder,
    ImmutableArray<RewriteRefusal> Refusals,
    ImmutableArray<TableShape> Inputs,
    ImmutableArray<TableShape> Targets,
    ImmutableArray<string> EarlierAttempts);

/// <summary>The model's answer: the proposal when it passed the role's checks, else why not; what it cost.</summary>
public sealed record ModelRewriteAnswer(SetBasedRewriteProposal? Proposal, string Detail, long Tokens, decimal CostUsd, string InstructionsHash);

/// <summary>The model path of the Code Writer (X1): asked only for a job the lifter refused.</summary>
public interface IRewriteModel
{
    Task<ModelRewriteAnswer> ProposeAsync(ModelRewriteRequest request, CancellationToken cancellationToken);
}

/// <summary>Asks the configured model, through the judgment runner (structured output, bounded retries,
/// budgets, record/replay), for a plan-level rewrite of a refused job. The legacy code goes only inside
/// data envelopes; the answer is a proposal that the rewrite runner then proves or discards.</summary>
public sealed class CodeWriterModel(JudgmentRunner runner, CodeWriterRole role) : IRewriteModel
{
    /// <summary>Legacy code shown to the model is bounded: the largest files are cut, never the refused lines.</summary>
    private const int MaxCodeChars = 60_000;

    public async Task<ModelRewriteAnswer> ProposeAsync(ModelRewriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var folder = WorkspacePaths.JobFolder(request.Job);
        var refused = request.Refusals.Select(r => new RefusedSpan(Span(folder, r.File, r.Line), r.Reason)).ToImmutableArray();
        var input = new JobRewriteInput(request.Job.Value, refused, request.Inputs, request.Targets, request.EarlierAttempts);
        var data = await CodeAsync(request.CodeFolder, folder, cancellationToken).ConfigureAwait(false);
        var known = ImmutableHashSet.CreateRange(StringComparer.Ordinal,
            [.. refused.Select(r => r.Span), .. data.Select(d => d.Source)]);
        var judgment = await runner.AskAsync(role, new JudgmentRequest<JobRewriteInput>(request.Job, input, data, known, []), cancellationToken).ConfigureAwait(false);
        var detail = judgment.Status switch
        {
            JudgmentStatus.Accepted => string.Create(CultureInfo.InvariantCulture, $"model proposal after {judgment.Attempts} attempt(s): {judgment.Output!.Rationale}"),
            JudgmentStatus.NotAsked => "no model is configured",
            _ => $"the model gave no usable proposal ({judgment.Status.ToString().ToLowerInvariant()}): {string.Join(" | ", judgment.Problems)}",
        };
        return new ModelRewriteAnswer(judgment.FromModel ? judgment.Output : null, detail, judgment.Tokens, judgment.CostUsd, judgment.InstructionsHash);
    }

    private static string Span(string jobFolder, string file, int line) =>
        string.Create(CultureInfo.InvariantCulture, $"jobs/{jobFolder}/{file}:{Math.Max(1, line)}");

    /// <summary>Every code file of the job, as data.</summary>
    private static async Task<ImmutableArray<DataItem>> CodeAsync(string codeFolder, string jobFolder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(codeFolder))
        {
            return [];
        }

        var items = ImmutableArray.CreateBuilder<DataItem>();
        var budget = MaxCodeChars;
        foreach (var file in Directory.EnumerateFiles(codeFolder, "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetExtension(f) is ".py" or ".sql" or ".ipynb" or ".yaml" or ".yml")
                     .Order(StringComparer.Ordinal))
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            if (text.Length > budget)
            {
                text = text[..Math.Max(0, budget)] + "\n... (cut)";
            }

            budget -= text.Length;
            var relative = Path.GetRelativePath(codeFolder, file).Replace('\\', '/');
            items.Add(new DataItem(DataKind.LegacyCode, $"jobs/{jobFolder}/{relative}", text));
            if (budget <= 0)
            {
                break;
            }
        }

        return items.ToImmutable();
    }
}
