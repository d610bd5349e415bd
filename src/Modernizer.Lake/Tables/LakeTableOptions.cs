using System.Collections.Immutable;

namespace Modernizer.Lake.Tables;

/// <summary>How <see cref="LakeTable"/> opens a table.</summary>
public sealed record LakeTableOptions
{
    /// <summary>Folders outside the table whose files the table may name. Delta allows absolute
    /// file paths in the log (a shallow clone points at its source's files); they are read only
    /// when they lie under one of these folders. Every other path that leaves the table folder is
    /// refused.</summary>
    public ImmutableArray<string> AllowedRoots { get; init; } = [];

    public static LakeTableOptions Default { get; } = new();
}
