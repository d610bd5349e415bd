using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Specs.Plans;

/// <summary>Walks the job's plans once and lists every site that needs a requirement: each filter
/// conjunct, join, aggregation, CASE (with its arms), derived column, window, Python loop (with the
/// dict lookup it builds) and write. The same construct reached through several roots is listed once.</summary>
public static partial class SiteExtractor
{
    public static ImmutableArray<PlanSite> Extract(JobPlans plans, ISchemaProvider? schemas, IReadOnlyDictionary<string, ImmutableArray<string>> codeLines)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var resolver = new ColumnResolver(schemas);
        var sites = new List<PlanSite>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var counters = new Dictionary<char, int>();
        string NextId(char letter)
        {
            counters[letter] = counters.GetValueOrDefault(letter) + 1;
            return letter + counters[letter].ToString(CultureInfo.InvariantCulture);
        }

        void Add(PlanSite site)
        {
            if (seen.Add(site.Kind + "|" + site.Span.Line.ToString(CultureInfo.InvariantCulture) + "|" + site.Text))
            {
                sites.Add(site);
            }
        }

        foreach (var (node, file, targets) in plans.Nodes())
        {
            var span = new SpanRef(file, node.Span.Line);
            var tables = InputTables(node);
            switch (node)
            {
                case Filter filter:
                    foreach (var conjunct in Predicates.Conjuncts(filter.Predicate))
                    {
                        var columns = Predicates.Columns(conjunct).Select(c => resolver.Use(filter.Input, c)).ToImmutableArray();
                        var atom = Predicates.Atom(conjunct, c => resolver.Use(filter.Input, c));
                        Add(new FilterSite(Pending('F'), span, conjunct, columns, atom, Predicates.HasRunTimeValue(conjunct)) { Tables = tables, Targets = targets });
                    }

                    break;
                case Join join:
                    Add(new JoinSite(Pending('J'), span, join.Type, InputTables(join.Left), InputTables(join.Right), Keys(join, resolver), join.Condition is null ? JoinUsing(join) : Predicates.ToSpark(join.Condition))
                    {
                        Tables = tables,
                        Targets = targets,
                    });
                    break;
                case Aggregate aggregate:
                    Add(new AggregateSite(Pending('A'), span,
                        [.. aggregate.GroupKeys.Select(k => k is ColumnRef c ? resolver.Use(aggregate.Input, c) : new ColumnUse(null, Predicates.ToSpark(k), null) { Derived = k })],
                        [.. aggregate.Aggregates.OfType<Alias>().Where(a => a.Operand is not ColumnRef).Select(a => Output(a, aggregate.Input, resolver))])
                    {
                        Tables = tables,
                        Targets = targets,
                    });
                    AddCases(aggregate.Aggregates.Items, aggregate.Input, span, tables, targets);
                    break;
                case Project project:
                    foreach (var alias in project.Expressions.OfType<Alias>().Where(a => a.Operand is not ColumnRef and not Literal))
                    {
                        Add(new DerivedColumnSite(Pending('D'), span, alias.Name, alias.Operand, Inputs(alias.Operand, project.Input, resolver)) { Tables = tables, Targets = targets });
                    }

                    AddCases(project.Expressions.Items, project.Input, span, tables, targets);
                    break;
                case Window window:
                    foreach (var alias in window.WindowExpressions.OfType<Alias>())
                    {
                        var over = (alias.Operand as FunctionCall)?.Over;
                        Add(new WindowSite(Pending('W'), span, alias.Name, Predicates.ToSpark(alias.Operand),
                            [.. (over?.PartitionBy.Items ?? []).OfType<ColumnRef>().Select(c => resolver.Use(window.Input, c))],
                            [.. (over?.OrderBy.Items ?? []).Select(o => o.Expr).OfType<ColumnRef>().Select(c => resolver.Use(window.Input, c))])
                        { Tables = tables, Targets = targets });
                    }

                    break;
                case Loop loop:
                    var loopFile = loop.File ?? file;
                    var body = BodySpan(loop, loopFile);
                    Add(new LoopSite(Pending('L'), new SpanRef(loopFile, loop.Span.Line), body, Source(loop.Source), Lookup(loop, loopFile, codeLines)) { Tables = InputTables(loop.Source), Targets = targets });
                    break;
                case Write write when write.Mode is not WriteMode.Ignore || write.Input is not Values:
                    Add(new WriteSite(Pending('T'), span, write.Target.ToString().ToLowerInvariant(), write.Mode, write.PartitionColumns.Items, write.Format, write.CreatesTable) { Tables = tables, Targets = [write.Target.ToString().ToLowerInvariant()] });
                    break;
            }
        }

        void AddCases(IEnumerable<Expr> expressions, PlanNode input, SpanRef span, ImmutableArray<string> tables, ImmutableArray<string> targets)
        {
            foreach (var expression in expressions)
            {
                var column = (expression as Alias)?.Name;
                foreach (var @case in ExprTree.Descendants(expression).OfType<Case>())
                {
                    var arms = @case.Whens.Select((w, i) => new CaseArm(i + 1, CaseCondition(@case, w), w.Result, Predicates.Atom(CaseCondition(@case, w), c => resolver.Use(input, c))))
                        .Append(new CaseArm(@case.Whens.Count + 1, null, @case.Else ?? Literal.Null, null))
                        .ToImmutableArray();
                    Add(new CaseSite(Pending('C'), span, column, @case, arms, Inputs(@case, input, resolver)) { Tables = tables, Targets = targets });
                }
            }
        }

        // A loop's result reaches the write through driver code: its sites feed the job's outputs.
        var allTargets = plans.Roots.SelectMany(r => PlanTree.Nodes(r.Plan)).OfType<Write>().Select(w => w.Target.ToString().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var repaired = sites.Select(s => Repair(s with { Targets = s.Targets.IsEmpty ? allTargets : s.Targets }, codeLines)).ToList();

        // Ids follow the order of appearance in the code, so they are stable for the same job.
        var ordered = repaired.OrderBy(s => s.Span.File, StringComparer.Ordinal).ThenBy(s => s.Span.Line).ThenBy(s => s.Kind, StringComparer.Ordinal).ToList();
        return [.. ordered.Select(s => Renumber(s, NextId(s.Id[0])))];
    }

    private static string Pending(char letter) => letter.ToString();

    /// <summary>Spark SQL inside a Python string is planned with lines relative to the string: when the
    /// span's line holds none of the construct's names, the line of the file that holds most of them is taken.</summary>
    private static PlanSite Repair(PlanSite site, IReadOnlyDictionary<string, ImmutableArray<string>> codeLines)
    {
        if (site is LoopSite or WriteSite || !codeLines.TryGetValue(site.Span.File, out var lines))
        {
            return site;
        }

        var words = Identifier().Matches(site.Text).Select(m => m.Value).Where(w => w.Length >= 3 && !SqlWords.Contains(w)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (words.Count == 0)
        {
            return site;
        }

        int Hits(int line) => line >= 1 && line <= lines.Length
            ? words.Count(w => Regex.IsMatch(lines[line - 1], @"\b" + Regex.Escape(w) + @"\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            : 0;

        // A construct written over several lines: its names are on the line or just below.
        if (Enumerable.Range(site.Span.Line, 4).Any(l => Hits(l) > 0))
        {
            return site;
        }

        var best = Enumerable.Range(1, lines.Length).Select(l => (Line: l, Hits: Hits(l))).Where(x => x.Hits > 0)
            .OrderByDescending(x => x.Hits).ThenBy(x => Math.Abs(x.Line - site.Span.Line)).FirstOrDefault();
        return best.Line > 0 ? site with { Span = site.Span with { Line = best.Line } } : site;
    }

    private static readonly HashSet<string> SqlWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "not", "null", "case", "when", "then", "else", "end", "join", "inner", "left", "outer", "cross", "using", "group",
        "count", "sum", "min", "max", "avg", "distinct", "cast", "between", "coalesce", "round", "aggregate", "all", "rows", "with", "driver", "data", "param", "row", "true", "false",
    };

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    private static PlanSite Renumber(PlanSite site, string id) => site switch
    {
        FilterSite f => f with { Id = id },
        JoinSite j => j with { Id = id },
        AggregateSite a => a with { Id = id },
        DerivedColumnSite d => d with { Id = id },
        CaseSite c => c with { Id = id },
        WindowSite w => w with { Id = id },
        LoopSite l => l with { Id = id },
        WriteSite w => w with { Id = id },
        _ => throw new InvalidOperationException($"SiteExtractor does not know {site.GetType().Name}."),
    };

    /// <summary>A simple CASE (<c>CASE x WHEN v</c>) arm as the equality it tests.</summary>
    private static Expr CaseCondition(Case @case, WhenClause when) =>
        @case.Operand is null ? when.Condition : new Binary(BinaryOp.Eq, @case.Operand, when.Condition);

    private static OutputExpression Output(Alias alias, PlanNode input, ColumnResolver resolver) =>
        new(alias.Name, Predicates.ToSpark(alias.Operand), Inputs(alias.Operand, input, resolver));

    private static ImmutableArray<ColumnUse> Inputs(Expr expression, PlanNode input, ColumnResolver resolver) =>
        [.. Predicates.Columns(expression).Select(c => resolver.Use(input, c)).DistinctBy(c => c.Qualified)];

    private static ImmutableArray<JoinKeyPair> Keys(Join join, ColumnResolver resolver)
    {
        if (!join.Using.IsEmpty)
        {
            return [.. join.Using.Select(u => new JoinKeyPair(resolver.Use(join.Left, ColumnRef.Of(u)), resolver.Use(join.Right, ColumnRef.Of(u))))];
        }

        var pairs = ImmutableArray.CreateBuilder<JoinKeyPair>();
        foreach (var (left, right) in join.Keys)
        {
            if (left is not ColumnRef l || right is not ColumnRef r)
            {
                continue;
            }

            // The written order need not match the sides: take each column from the side that has it.
            var leftUse = resolver.Resolve(join.Left, l);
            var rightUse = resolver.Resolve(join.Right, r);
            if (leftUse is null || rightUse is null)
            {
                leftUse = resolver.Resolve(join.Left, r) ?? leftUse;
                rightUse = resolver.Resolve(join.Right, l) ?? rightUse;
            }

            pairs.Add(new JoinKeyPair(leftUse ?? new ColumnUse(null, l.Name, null), rightUse ?? new ColumnUse(null, r.Name, null)));
        }

        return pairs.ToImmutable();
    }

    private static string JoinUsing(Join join) => join.Using.IsEmpty ? string.Empty : "using (" + string.Join(", ", join.Using) + ")";

    private static ImmutableArray<string> InputTables(PlanNode node) =>
        [.. PlanTree.Nodes(node).OfType<Scan>().Select(s => s.Table.ToString().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string Source(PlanNode source)
    {
        var tables = InputTables(source);
        return tables.IsEmpty ? "driver data" : string.Join("+", tables);
    }

    private static string BodySpan(Loop loop, string file)
    {
        var opaque = loop.BodyPlans.OfType<Opaque>().FirstOrDefault(o => o.Text is not null);
        return opaque?.Text ?? $"{file}:{loop.Body.Line.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A loop body that fills a dict keyed by row fields (<c>d[(r.a, r.b)] = r.c</c> or
    /// <c>d[r.a] = r.c</c>) builds a lookup; where the dict is read back (<c>d.get(</c>, <c>d[</c>) is its use.</summary>
    private static DictLookup? Lookup(Loop loop, string file, IReadOnlyDictionary<string, ImmutableArray<string>> codeLines)
    {
        if (!codeLines.TryGetValue(file, out var lines))
        {
            return null;
        }

        var (from, to) = BodyLines(loop, file);
        for (var line = from; line <= to && line <= lines.Length; line++)
        {
            var match = Assignment().Match(lines[line - 1]);
            if (!match.Success)
            {
                continue;
            }

            var keys = FieldOf().Matches(match.Groups["key"].Value).Select(m => m.Groups["field"].Value).ToImmutableArray();
            if (keys.IsEmpty)
            {
                continue;
            }

            var dictionary = match.Groups["dict"].Value;
            var usedAt = lines.Select((text, i) => (text, line: i + 1))
                .Where(l => l.line != line && (l.text.Contains(dictionary + ".get(", StringComparison.Ordinal) || l.text.Contains(dictionary + "[", StringComparison.Ordinal)))
                .Select(l => new SpanRef(file, l.line))
                .ToImmutableArray();
            return new DictLookup(dictionary, keys, match.Groups["value"].Value.Trim(), new SpanRef(file, line), usedAt);
        }

        return null;
    }

    private static (int From, int To) BodyLines(Loop loop, string file)
    {
        var opaque = loop.BodyPlans.OfType<Opaque>().FirstOrDefault(o => o.Text is not null);
        if (opaque?.Text is { } text && BodyRange().Match(text) is { Success: true } range)
        {
            return (int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        return (loop.Body.Line, loop.Body.Line);
    }

    [GeneratedRegex(@"^\s*(?<dict>[A-Za-z_]\w*)\[(?<key>[^\]]+)\]\s*=\s*(?<value>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\.(?<field>[A-Za-z_]\w*)\b|\[\s*[""'](?<field>[A-Za-z_]\w*)[""']\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex FieldOf();

    [GeneratedRegex(@":(\d+)-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex BodyRange();
}
