using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>A remark attached to a span of code: an anti-pattern, a suspected defect, an assumption,
/// or the rewrite pattern that replaced the span.</summary>
public sealed record CodeNote(string Kind, string Label, string Message, string? Detail, int StartLine, int EndLine);

public sealed record CodeLine(int Number, string Text, ImmutableArray<string> Marks, ImmutableArray<CodeNote> NotesAfter);

/// <summary>A source file shown line by line, with the lines of each note's span marked and the note
/// itself shown inline after the span's last line.</summary>
public sealed record CodeListing(string Path, string Language, ImmutableArray<CodeLine> Lines, string? Problem)
{
    /// <summary>Lines longer than this are cut for display (minified or generated code).</summary>
    public const int MaxLineLength = 2000;

    public static CodeListing Build(string path, TextArtifact file, IEnumerable<CodeNote> notes)
    {
        ArgumentNullException.ThrowIfNull(file);
        var language = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".py" => "python",
            ".sql" => "sql",
            ".ipynb" => "notebook",
            ".yaml" or ".yml" => "yaml",
            _ => "text",
        };
        if (file.Text is null)
        {
            return new CodeListing(path, language, [], file.Problem ?? $"{file.RelativePath} is not in the workspace");
        }

        var texts = file.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (texts.Length > 0 && texts[^1].Length == 0)
        {
            texts = texts[..^1];
        }

        var all = notes.ToList();
        var lines = texts.Select((text, index) =>
        {
            var number = index + 1;
            var marks = all.Where(n => n.StartLine <= number && number <= n.EndLine).Select(n => n.Kind).Distinct(StringComparer.Ordinal).ToImmutableArray();
            var after = all.Where(n => Math.Min(Math.Max(n.EndLine, n.StartLine), texts.Length) == number).ToImmutableArray();
            return new CodeLine(number, text.Length > MaxLineLength ? text[..MaxLineLength] + " …" : text, marks, after);
        }).ToImmutableArray();
        return new CodeListing(path, language, lines, null);
    }

    /// <summary>The notes of a code analysis (analysis.json) that point into <paramref name="file"/>.</summary>
    public static IEnumerable<CodeNote> AnalysisNotes(JsonElement? analysis, string file)
    {
        foreach (var a in analysis.Arr("anti_patterns").Where(a => SameFile(a.Str("file"), file)))
        {
            yield return Note("anti-pattern", a.Str("rule_id") ?? "anti-pattern", a.Str("message"), a.Str("replacement") is { } r ? "set-based replacement: " + r : null, a);
        }

        foreach (var d in analysis.Arr("suspected_defects").Where(d => SameFile(d.Str("file"), file)))
        {
            yield return Note("defect", "suspected defect " + (d.Str("id") ?? string.Empty), d.Str("description"), d.Str("reasoning"), d);
        }

        foreach (var a in analysis.Arr("assumptions").Where(a => SameFile(a.Str("file"), file)))
        {
            yield return Note("assumption", "assumption " + (a.Str("id") ?? string.Empty), a.Str("statement"),
                a.Num("confidence") is { } c ? $"confidence {Fmt.Confidence(c)}: {a.Str("rationale")}" : a.Str("rationale"), a);
        }
    }

    /// <summary>The patterns of a rewrite (rewrite.json) whose legacy span is in <paramref name="file"/>.</summary>
    public static IEnumerable<CodeNote> RewriteNotes(JsonElement? rewrite, string file) =>
        rewrite.Arr("patterns").Where(p => SameFile(p.Str("file"), file)).Select(p =>
        {
            var start = (int)(p.Num("line_start") ?? p.Num("line") ?? 0);
            var end = (int)(p.Num("line_end") ?? start);
            return new CodeNote("pattern", p.Str("rule") ?? "pattern", "replaced by set-based SQL", p.Str("sql"), start, Math.Max(start, end));
        }).Where(n => n.StartLine > 0);

    private static CodeNote Note(string kind, string label, string? message, string? detail, JsonElement span)
    {
        var start = (int)(span.Num("line") ?? span.Num("line_start") ?? 0);
        var end = (int)(span.Num("end_line") ?? span.Num("line_end") ?? start);
        return new CodeNote(kind, label.Trim(), message ?? string.Empty, detail, start, Math.Max(start, end));
    }

    /// <summary>Artifacts name files relative to the job folder (<c>main.py</c>) or to the workspace
    /// (<c>jobs/x/main.py</c>); both point at the same file.</summary>
    private static bool SameFile(string? named, string file) =>
        named is not null && (named == file || named.EndsWith("/" + file, StringComparison.Ordinal) || file.EndsWith("/" + named, StringComparison.Ordinal));
}
