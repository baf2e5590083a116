namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Two lines of migrations of one DbContext that start from the same migration: what two branches
/// that each added migrations leave behind once they are merged in git (<c>check</c> reports SM104).
/// Branch A is the line whose head sorts first (ordinally), branch B the other.
/// </summary>
/// <param name="Parent">The newest migration both lines follow (their common ancestor); null when they share none (two initial migrations).</param>
/// <param name="HeadA">The head (a migration nothing follows) of branch A.</param>
/// <param name="HeadB">The head of branch B.</param>
/// <param name="BranchA">The migrations of branch A after <paramref name="Parent"/> up to and including <paramref name="HeadA"/>, oldest first (by id).</param>
/// <param name="BranchB">The migrations of branch B after <paramref name="Parent"/> up to and including <paramref name="HeadB"/>, oldest first (by id).</param>
internal sealed record MigrationFork(string? Parent, string HeadA, string HeadB, IReadOnlyList<string> BranchA, IReadOnlyList<string> BranchB);
