namespace Modernizer.Code.Python;

/// <summary>A Python literal the bridge cannot send as a plain JSON value (bytes, complex,
/// Ellipsis, integers beyond 2^53): its type name and repr.</summary>
public sealed record PyOtherConstant(string TypeName, string Repr);
