namespace EfSafeMigrate.Squashing;

/// <summary>
/// A squashed migration found in the code: a migration class with <see cref="ReplacesAttribute"/>.
/// </summary>
/// <param name="Id">The squashed migration's id (its <c>[Migration]</c> attribute), e.g. <c>20261121064240_SquashedAddProductSkuToAddUniqueSkuIndex</c>.</param>
/// <param name="ReplacedIds">The ids it replaces, oldest first, as written in <see cref="ReplacesAttribute"/>.</param>
public sealed record SquashedMigration(string Id, IReadOnlyList<string> ReplacedIds)
{
    /// <summary>The id of the first replaced migration (the start of the range).</summary>
    public string FirstReplacedId => ReplacedIds[0];

    /// <summary>The id of the last replaced migration (the end of the range).</summary>
    public string LastReplacedId => ReplacedIds[^1];

    /// <summary>The range as text for messages: <c>first..last</c> (or the single id).</summary>
    public string DescribeRange() => ReplacedIds.Count == 1 ? FirstReplacedId : $"{FirstReplacedId}..{LastReplacedId}";
}
