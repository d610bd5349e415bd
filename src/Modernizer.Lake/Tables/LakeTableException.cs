namespace Modernizer.Lake.Tables;

/// <summary>A table that cannot be read as asked: names the table and the problem (missing or
/// corrupt log file, unsupported feature, unknown version). Never a partial snapshot.</summary>
public sealed class LakeTableException : Exception
{
    public LakeTableException(string tablePath, string problem, Exception? inner = null)
        : base($"Table '{tablePath}': {problem}", inner)
    {
        TablePath = tablePath;
        Problem = problem;
    }

    public LakeTableException()
        : this("(unknown)", "unreadable table")
    {
    }

    public LakeTableException(string message)
        : this("(unknown)", message)
    {
    }

    public LakeTableException(string message, Exception inner)
        : this("(unknown)", message, inner)
    {
    }

    public string TablePath { get; }

    public string Problem { get; }
}
