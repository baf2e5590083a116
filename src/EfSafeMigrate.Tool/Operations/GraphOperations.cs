using EfSafeMigrate.Graph;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>status --graph</c>: the migration graph of the session's DbContext. Parents come from the files, as the fast
/// checks read them: each migrations folder's <c>safe-migrate.sum</c> (read with both sides of any git conflict), a
/// migration it does not record following the one before it by id (<see cref="SumFileBuilder"/>). Squashed
/// migrations and what they replace come from the built assembly's <c>[Replaces]</c>. Applied / pending marks come from
/// the database's history when it can be read; when it cannot (no connection string, server unreachable), the graph is
/// drawn from files alone and the result says so.
/// </summary>
internal static class GraphOperations
{
    /// <summary>Reads the graph and the database's state.</summary>
    /// <param name="session">The opened project.</param>
    /// <returns>The result, and the reason the database could not be read (null when it was).</returns>
    public static (StatusGraphResult Result, string? DatabaseProblem) Read(ProjectSession session)
    {
        var contextName = session.Context.GetType().Name;
        var files = MigrationFiles.For(session.ProjectDir);
        var parents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var folder in MigrationFolder.From(files.FromWorkingTree()).Where(f => f.Migrations.Count > 0))
        {
            SumFile? previous = null;
            try
            {
                previous = folder.SumText is null ? null : SumFile.ParseMergingConflicts(folder.SumText);
            }
            catch (SumFileFormatException)
            {
                // parents from the id order; check reports the file
            }

            foreach (var entry in SumFileBuilder.Build(folder.Migrations, previous).Entries.Where(e => e.Context == contextName))
            {
                parents[entry.Id] = entry.Parents;
            }
        }

        var code = session.Migrator.Migrations;
        foreach (var id in code.Where(id => !parents.ContainsKey(id)))
        {
            parents[id] = []; // in the assembly but not found in the source files (e.g. another project's folder)
        }

        var assembly = session.Context.GetService<IMigrationsAssembly>();
        var replaces = assembly.Migrations
            .Select(m => (m.Key, Replaced: ReplacesAttributeLookup.ReplacedIds(m.Value)))
            .Where(m => m.Replaced is { Count: > 0 })
            .ToDictionary(m => m.Key, m => m.Replaced!, StringComparer.Ordinal);
        var replacedBy = replaces.SelectMany(r => r.Value.Select(id => (Id: id, By: r.Key))).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First().By, StringComparer.Ordinal);

        HashSet<string>? applied = null;
        string? problem = null;
        string? database = null;
        try
        {
            database = session.Database.Describe();
            applied = session.Migrator.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is CommandException || DatabaseServices.IsConnectionError(ex) || ex is InvalidOperationException)
        {
            problem = ex is CommandException ? ex.Message : Execution.MigrationExecutionException.DatabaseError(ex);
        }

        var graph = new MigrationGraph(parents.Select(p => (p.Key, p.Value)));
        var heads = graph.Heads.ToHashSet(StringComparer.Ordinal);
        var nodes = graph.Nodes.Select(id =>
        {
            var own = graph.ParentsOf(id);
            var replaced = replaces.GetValueOrDefault(id);
            var kind = replaced is not null ? GraphNodeKind.Squash : own.Count > 1 ? GraphNodeKind.Merge : GraphNodeKind.Migration;
            return new GraphNode(id, own, kind, replaced, replacedBy.GetValueOrDefault(id), applied is null ? null : StateOf(id, replaced, applied), heads.Contains(id));
        }).ToList();
        var edges = nodes.SelectMany(n => n.Parents.Select(p => new GraphEdge(n.Id, p))).ToList();
        var unknown = applied is null ? [] : applied.Where(id => !parents.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        return (new StatusGraphResult(session.ContextName, database, applied is not null, nodes, edges, graph.Heads, unknown), problem);
    }

    // Applied when its history row is there; a squashed migration also when every migration it replaces is applied (it then counts as applied).
    private static GraphNodeState StateOf(string id, IReadOnlyList<string>? replaced, HashSet<string> applied)
        => applied.Contains(id) || (replaced is not null && replaced.All(applied.Contains)) ? GraphNodeState.Applied : GraphNodeState.Pending;
}

/// <summary>What a node of <c>status --graph</c> is.</summary>
internal enum GraphNodeKind
{
    /// <summary>A migration with one parent (or none).</summary>
    Migration,
    /// <summary>A merge migration: it follows two heads.</summary>
    Merge,
    /// <summary>A squashed migration (<c>[Replaces]</c>).</summary>
    Squash,
}

/// <summary>A node's state in the database.</summary>
internal enum GraphNodeState
{
    /// <summary>In the history table (a squashed migration: or all it replaces).</summary>
    Applied,
    /// <summary>Not applied.</summary>
    Pending,
}

/// <summary>One migration of <c>status --graph</c>.</summary>
/// <param name="Id">The migration id.</param>
/// <param name="Parents">The migrations it follows, in recorded order (empty for the first).</param>
/// <param name="Kind">Migration, merge or squash.</param>
/// <param name="Replaces">For a squash, the ids it replaces, oldest first; otherwise null.</param>
/// <param name="ReplacedBy">The squashed migration that replaces it, or null.</param>
/// <param name="State">Applied or pending; null when the database could not be read.</param>
/// <param name="Head">True when no migration follows it.</param>
internal sealed record GraphNode(string Id, IReadOnlyList<string> Parents, GraphNodeKind Kind, IReadOnlyList<string>? Replaces, string? ReplacedBy, GraphNodeState? State, bool Head);

/// <summary>An edge of <c>status --graph</c>: <paramref name="From"/> follows <paramref name="To"/>.</summary>
/// <param name="From">The child migration.</param>
/// <param name="To">Its parent.</param>
internal sealed record GraphEdge(string From, string To);

/// <summary>The result of <c>status --graph --json</c> (<c>docs/json/status-graph.schema.json</c>; <see cref="Output.MachineOutput"/> writes <c>schemaVersion</c> first).</summary>
/// <param name="Context">Full name of the DbContext.</param>
/// <param name="Database">The database as described in messages (never a password), or null without a connection string.</param>
/// <param name="DatabaseRead">True when the history was read (nodes then have a state).</param>
/// <param name="Nodes">Every migration, by id.</param>
/// <param name="Edges">Child → parent, per node in order.</param>
/// <param name="Heads">Migrations no other follows (more than one: unmerged branches), by id.</param>
/// <param name="Unknown">Applied migrations the code does not have, by id.</param>
internal sealed record StatusGraphResult(string Context, string? Database, bool DatabaseRead, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<string> Heads, IReadOnlyList<string> Unknown);
