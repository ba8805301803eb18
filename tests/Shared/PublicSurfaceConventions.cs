using System.Reflection;
using System.Runtime.CompilerServices;

namespace Faable.Tests.Shared;

/// <summary>
/// Reflection checks of the house rules for a package's public surface, shared by every
/// test project's <c>ConventionTests</c> class.
/// </summary>
internal static class PublicSurfaceConventions
{
    /// <summary>Types in an <c>.Internal</c> namespace must not be public.</summary>
    public static IReadOnlyList<string> PublicInternalTypes(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t.Namespace is not null && (t.Namespace.EndsWith(".Internal", StringComparison.Ordinal) || t.Namespace.Contains(".Internal.", StringComparison.Ordinal)))
            .Select(t => t.FullName!)
            .ToList();

    /// <summary>Public classes must be sealed, static or abstract (a documented extension point).</summary>
    public static IReadOnlyList<string> UnsealedPublicClasses(Assembly assembly, params Type[] documentedExtensionPoints) =>
        assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t))
            .Where(t => !documentedExtensionPoints.Contains(t))
            .Select(t => t.FullName!)
            .ToList();

    /// <summary>
    /// Public methods returning a task must end in <c>Async</c> and take a <see cref="CancellationToken"/> last,
    /// except where they implement a framework contract listed in <paramref name="exempt"/>.
    /// </summary>
    public static IReadOnlyList<string> AsyncMethodViolations(Assembly assembly, params string[] exempt)
    {
        var violations = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.IsSpecialName || !IsAwaitable(method.ReturnType))
                {
                    continue;
                }

                var name = $"{type.FullName}.{method.Name}";
                if (exempt.Contains(name) || exempt.Contains(method.Name))
                {
                    continue;
                }

                if (!method.Name.EndsWith("Async", StringComparison.Ordinal))
                {
                    violations.Add($"{name}: name must end in Async");
                }

                var parameters = method.GetParameters();
                if (parameters.Length == 0 || parameters[^1].ParameterType != typeof(CancellationToken))
                {
                    violations.Add($"{name}: last parameter must be a CancellationToken");
                }
            }
        }

        return violations;
    }

    private static bool IsAwaitable(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) ||
        (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))) ||
        type.GetCustomAttribute<AsyncMethodBuilderAttribute>() is not null;
}
