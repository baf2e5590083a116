namespace EfSafeMigrate.Design.Merge;

/// <summary>What <see cref="MigrationRebaser"/> moves and where it writes.</summary>
/// <param name="MovedId">The id of the migration to move: the only migration of its branch of the fork.</param>
/// <param name="NewId">The id the moved migration gets, later than every other migration of the context.</param>
/// <param name="Name">The migration's name (its class name), the same as before.</param>
/// <param name="OntoId">The head of the other branch, which the moved migration will follow.</param>
/// <param name="ProjectDir">The migrations project's folder.</param>
/// <param name="RootNamespace">The project's root namespace.</param>
internal sealed record MigrationRebaseRequest(string MovedId, string NewId, string Name, string OntoId, string ProjectDir, string RootNamespace);
