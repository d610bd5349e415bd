using System.Collections.Immutable;
using System.Text;
using Modernizer.Specs.Data;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Plans;
using Modernizer.Specs.Requirements.Interpretations;

namespace Modernizer.Specs.Requirements;

/// <summary>The Requirements Inferencer's engine (R2.3). From the code analysis, the profile, the lake and
/// the catalog it infers business rules (every filter, join, aggregation, CASE and derived column of the
/// plan), input and output contracts, error handling, the SLA and edge cases — each with an id, a
/// statement, a confidence, a status and its evidence. Requirements below the consultation floor are
/// resolved by consultation (X1) and one query per interpretation against the legacy output; regulatory
/// logic and contradictions are marked for the escalation policy.</summary>
public sealed class RequirementsInferencer(double consultationFloor = 0.8)
{
    public async Task<RequirementSet> InferAsync(JobInputs inputs, IConsultationPort? consultation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        await using var lake = await LakeSession.OpenAsync(inputs.LakeFolders, [], cancellationToken);
        var context = new InferenceContext(inputs, lake);
        await RuleRequirements.AddAsync(context, cancellationToken);
        AnalysisRequirements.Add(context);
        await ContractRequirements.AddAsync(context, cancellationToken);
        var resolver = new InterpretationResolver(consultationFloor, consultation);
        await resolver.ResolveAsync(context, cancellationToken);
        RegulationClassifier.Apply(context);
        var contradictions = await ContradictionDetector.DetectAsync(context, cancellationToken);
        var requirements = context.Requirements.ToImmutableArray();
        return new RequirementSet(inputs.Job.Value, Purpose(inputs), inputs.Regulation, requirements, contradictions, [.. resolver.Consultations])
        {
            Sites = [.. inputs.Sites.Select(s => new SiteCoverage(s.Id, s.Kind, s.Span.ToString(), s.Text,
                [.. requirements.Where(r => r.Origin.Site == s.Id || r.Origin.AntiPattern == "ITR01@" + s.Span).Select(r => r.Id)]))],
            Notes = [.. inputs.Plans.Notes, .. context.Notes],
        };
    }

    /// <summary>The job's purpose: its name from job.yaml and the header comment of its main file, then what it reads and writes.</summary>
    public static string Purpose(JobInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var text = new StringBuilder();
        var header = HeaderComment(inputs);
        text.Append(inputs.Manifest.Name ?? inputs.Job.Value);
        if (header.Length > 0)
        {
            text.Append(": ").Append(header);
        }

        if (text.Length > 0 && text[^1] != '.')
        {
            text.Append('.');
        }

        text.Append(" It reads ").Append(inputs.Sources.IsEmpty ? "no lake table" : string.Join(", ", inputs.Sources))
            .Append(" and writes ").Append(inputs.Targets.IsEmpty ? "no lake table" : string.Join(", ", inputs.Targets)).Append('.');
        return text.ToString();
    }

    private static string HeaderComment(JobInputs inputs)
    {
        var file = inputs.Analysis.Files.FirstOrDefault();
        if (file is null || !inputs.CodeLines.TryGetValue(file, out var lines))
        {
            return string.Empty;
        }

        var comment = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("# Databricks notebook source", StringComparison.Ordinal) || line.StartsWith("# MAGIC %md", StringComparison.Ordinal))
            {
                continue;
            }

            var body = line.StartsWith("# MAGIC", StringComparison.Ordinal) ? line[7..].Trim() : line.StartsWith('#') ? line[1..].Trim() : line.StartsWith("--", StringComparison.Ordinal) ? line[2..].Trim() : null;
            if (body is null)
            {
                break;
            }

            body = body.TrimStart('#').Trim();
            if (body.Length == 0)
            {
                if (comment.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (comment.Count == 0 && string.Equals(body, inputs.Job.Value, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            comment.Add(body);
            if (comment.Count == 3)
            {
                break;
            }
        }

        return string.Join(" ", comment);
    }
}
