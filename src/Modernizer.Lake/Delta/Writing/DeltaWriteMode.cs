namespace Modernizer.Lake.Delta.Writing;

/// <summary>How a write changes the table: a new table, more files, or a full replacement.</summary>
public enum DeltaWriteMode
{
    /// <summary>Version 0 of a new table; fails when the table already has a log.</summary>
    Create,

    /// <summary>Adds files, removes nothing (a blind append).</summary>
    Append,

    /// <summary>Removes every live file and adds the new ones.</summary>
    Overwrite,
}
