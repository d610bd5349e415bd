namespace Modernizer.Code.Sql.Syntax;

/// <summary>Base of every syntax node. The span records where the node was written; it is left
/// out of equality so that parse → print → parse yields an equal tree.</summary>
public abstract record SqlNode
{
    public SourceSpan Span { get; init; }

    public virtual bool Equals(SqlNode? other) =>
        other is not null && (ReferenceEquals(this, other) || EqualityContract == other.EqualityContract);

    public override int GetHashCode() => EqualityContract.GetHashCode();
}

/// <summary>How a placeholder was written: <c>${name}</c>, <c>{name}</c> (Python format / notebook
/// widgets), or <c>:name</c> (Spark named parameter marker).</summary>
public enum PlaceholderStyle
{
    None,
    Dollar,
    Brace,
    Colon,
}

/// <summary>One part of a dotted name; a part may be a placeholder, as in <c>${env}.orders</c>.</summary>
public sealed record NamePart(string Text, PlaceholderStyle Placeholder = PlaceholderStyle.None)
{
    public bool IsPlaceholder => Placeholder != PlaceholderStyle.None;

    public static implicit operator NamePart(string text) => new(text);

    public override string ToString() => Placeholder switch
    {
        PlaceholderStyle.None => Text,
        PlaceholderStyle.Dollar => "${" + Text + "}",
        PlaceholderStyle.Brace => "{" + Text + "}",
        PlaceholderStyle.Colon => ":" + Text,
        _ => throw new InvalidOperationException($"Unknown placeholder style {Placeholder}."),
    };
}

/// <summary>A possibly qualified table name (catalog.schema.table); parts may be placeholders.</summary>
public sealed record TableName(EquatableArray<NamePart> Parts)
{
    public static TableName Of(params string[] parts) => new(parts.Select(p => new NamePart(p)).ToEquatableArray());

    public string Name => Parts[^1].ToString();

    public bool HasPlaceholder => Parts.Items.Any(p => p.IsPlaceholder);

    /// <summary>Dotted text as written, placeholders in their source form, unquoted.</summary>
    public override string ToString() => string.Join(".", Parts.Select(p => p.ToString()));

    /// <summary>Case-insensitive key for catalogs (Spark identifiers are case-insensitive).</summary>
    public string Key => ToString().ToLowerInvariant();
}
