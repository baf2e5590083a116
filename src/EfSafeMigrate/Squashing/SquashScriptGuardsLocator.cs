using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// Finds the <see cref="ISquashScriptGuards"/> for a provider's history repository without this library
/// referencing the provider: a table of known repository types (matched by full name, the type or a
/// base type) and the assembly-qualified name of the implementation for each. The implementation's
/// assembly is loaded by name, the way the application loads any of its dependencies (in
/// <c>dotnet safe-migrate</c>, from the application's folder or else the tool's, which ships
/// EfSafeMigrate.Npgsql); when it is not there, there are no guards.
/// </summary>
internal static class SquashScriptGuardsLocator
{
    private static readonly (string RepositoryType, string GuardsType)[] Known =
    [
        ("Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal.NpgsqlHistoryRepository", "EfSafeMigrate.Npgsql.Squashing.NpgsqlSquashScriptGuards, EfSafeMigrate.Npgsql"),
    ];

    /// <summary>
    /// The guards for the repository, created with the repository as their only constructor argument;
    /// null when its provider has no known implementation, or the implementation's assembly cannot be
    /// loaded (not deployed with the application, or built against another version of this library).
    /// </summary>
    /// <param name="repository">The provider's history repository (not a decorator).</param>
    /// <exception cref="InvalidOperationException">The implementation was found but refused the repository (see <see cref="HistoryTableInfo.Of"/>).</exception>
    public static ISquashScriptGuards? Find(IHistoryRepository repository)
    {
        for (var type = repository.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var (repositoryType, guardsType) in Known)
            {
                if (type.FullName == repositoryType)
                {
                    return Create(guardsType, repository);
                }
            }
        }

        return null;
    }

    private static ISquashScriptGuards? Create(string guardsTypeName, IHistoryRepository repository)
    {
        Type? type;
        try
        {
            type = Type.GetType(guardsTypeName, throwOnError: false);
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }

        if (type is null || !typeof(ISquashScriptGuards).IsAssignableFrom(type))
        {
            return null;
        }

        try
        {
            return (ISquashScriptGuards)Activator.CreateInstance(type, repository)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }
}
