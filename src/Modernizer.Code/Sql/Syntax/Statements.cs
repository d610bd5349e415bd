using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Sql.Syntax;

/// <summary>A top-level statement. One record per statement kind.</summary>
public abstract record Statement : SqlNode;

public sealed record QueryStatement(Query Query) : Statement;

/// <summary>One entry of <c>PARTITION (p = 'v', q)</c>; <see cref="Value"/> null for a dynamic partition column.</summary>
public sealed record PartitionValue(string Column, Expr? Value);

/// <summary>INSERT INTO / INSERT OVERWRITE [TABLE] t [PARTITION (...)] [(cols)] query.</summary>
public sealed record InsertStatement(TableName Target, bool Overwrite, Query Source) : Statement
{
    public bool TableKeyword { get; init; }

    public EquatableArray<PartitionValue> Partition { get; init; }

    public EquatableArray<string> Columns { get; init; }

    public bool IfNotExists { get; init; }

    /// <summary>INSERT ... BY NAME.</summary>
    public bool ByName { get; init; }
}

public sealed record ColumnDefinition(string Name, SparkType Type, bool Nullable = true, string? Comment = null)
{
    /// <summary>Delta <c>GENERATED ALWAYS AS (expr)</c>: a column computed from the others.</summary>
    public Expr? GeneratedAs { get; init; }

    /// <summary>Delta identity column: <c>ALWAYS</c> or <c>BY DEFAULT</c> (<c>GENERATED ... AS IDENTITY</c>).</summary>
    public string? Identity { get; init; }

    /// <summary><c>DEFAULT expr</c>.</summary>
    public Expr? Default { get; init; }
}

public sealed record TableProperty(string Key, string Value);

/// <summary>CREATE [OR REPLACE] [TEMPORARY|EXTERNAL] TABLE [IF NOT EXISTS] t [(cols)] [USING fmt]
/// [PARTITIONED BY (...)] [LOCATION '...'] [COMMENT '...'] [TBLPROPERTIES (...)] [AS query].</summary>
public sealed record CreateTableStatement(TableName Name) : Statement
{
    public bool OrReplace { get; init; }

    public bool Temporary { get; init; }

    public bool External { get; init; }

    public bool IfNotExists { get; init; }

    public EquatableArray<ColumnDefinition> Columns { get; init; }

    public string? Using { get; init; }

    public EquatableArray<string> PartitionedBy { get; init; }

    public EquatableArray<string> ClusterBy { get; init; }

    public string? Location { get; init; }

    public string? Comment { get; init; }

    public EquatableArray<TableProperty> Properties { get; init; }

    public EquatableArray<TableProperty> Options { get; init; }

    public Query? AsQuery { get; init; }
}

public enum ViewKind
{
    Persistent,
    Temporary,
    GlobalTemporary,
}

/// <summary>CREATE [OR REPLACE] [[GLOBAL] TEMP[ORARY]] VIEW [IF NOT EXISTS] v [(cols)] AS query.</summary>
public sealed record CreateViewStatement(TableName Name, ViewKind Kind, Query Query) : Statement
{
    public bool OrReplace { get; init; }

    public bool IfNotExists { get; init; }

    /// <summary>TEMP (true) or TEMPORARY (false), for printing as written.</summary>
    public bool ShortTemp { get; init; }

    public EquatableArray<string> Columns { get; init; }

    public string? Comment { get; init; }
}

public sealed record Assignment(EquatableArray<NamePart> Column, Expr Value);

public enum MergeMatch
{
    Matched,
    NotMatchedByTarget,
    NotMatchedBySource,
}

public abstract record MergeAction;

/// <summary>UPDATE SET a = b, ... or UPDATE SET * (<see cref="Assignments"/> empty).</summary>
public sealed record MergeUpdate(EquatableArray<Assignment> Assignments) : MergeAction
{
    public bool IsStar => Assignments.IsEmpty;
}

public sealed record MergeDelete : MergeAction;

/// <summary>INSERT (cols) VALUES (vals) or INSERT * (both empty).</summary>
public sealed record MergeInsert(EquatableArray<string> Columns, EquatableArray<Expr> Values) : MergeAction
{
    public bool IsStar => Values.IsEmpty;
}

/// <summary>WHEN [NOT] MATCHED [BY TARGET|BY SOURCE] [AND cond] THEN action.
/// <see cref="ExplicitByTarget"/> keeps "BY TARGET" when written.</summary>
public sealed record MergeClause(MergeMatch Match, Expr? Condition, MergeAction Action)
{
    public bool ExplicitByTarget { get; init; }
}

public sealed record MergeStatement(TableName Target, Relation Source, Expr On, EquatableArray<MergeClause> Clauses) : Statement
{
    public string? TargetAlias { get; init; }
}

public sealed record UpdateStatement(TableName Target, EquatableArray<Assignment> Assignments, Expr? Where) : Statement
{
    public string? Alias { get; init; }
}

public sealed record DeleteStatement(TableName Target, Expr? Where) : Statement
{
    public string? Alias { get; init; }
}

/// <summary>DROP TABLE|VIEW [IF EXISTS] name.</summary>
public sealed record DropStatement(bool View, TableName Name, bool IfExists) : Statement;

/// <summary>A statement kept as text: OPTIMIZE, VACUUM, ANALYZE, REFRESH, CACHE, UNCACHE, SET,
/// RESET, USE, MSCK, DESCRIBE, SHOW... <see cref="Keyword"/> is the first word, upper case;
/// <see cref="Target"/> the table it names when one is recognisable.</summary>
public sealed record PassThrough(string Keyword, string Text) : Statement
{
    public TableName? Target { get; init; }
}
