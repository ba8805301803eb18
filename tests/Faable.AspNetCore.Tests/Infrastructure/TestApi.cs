using System.Security.Claims;
using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>The endpoints the tests call.</summary>
internal static class TestApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/open", (ClaimsPrincipal user) => user.GetSubject() ?? "anonymous");
        app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Json(new
        {
            sub = user.GetSubject(),
            scopes = user.GetScopes().Order().ToArray(),
            permissions = user.GetPermissions().Order().ToArray(),
            machine = user.IsMachine(),
            claimTypes = user.Claims.Select(c => c.Type).Distinct().Order().ToArray(),
        })).RequireAuthorization();
        app.MapGet("/orders", () => "orders").RequireScope("read:orders");
        app.MapGet("/orders/edit", () => "edit").RequireScope("read:orders", "write:orders");
        app.MapGet("/any", () => "any").RequireAnyScope("read:orders", "admin");
        app.MapGet("/perm", () => "perm").RequirePermission("read:orders");
        app.MapGet("/stacked", () => "stacked").RequireScope("read:orders").RequirePermission("write:orders");
        var admin = app.MapGroup("/admin").RequireScope("admin");
        admin.MapGet("/users", () => "users").RequireScope("read:users");
        admin.MapGet("/stats", () => "stats");
        app.MapGet("/machine", () => "machine").RequireCallerType(FaableCallerType.Machine);
        app.MapGet("/user", () => "user").RequireCallerType(FaableCallerType.User);
        app.MapGet("/mutate", (ClaimsPrincipal user) =>
        {
            var before = user.FindAll("injected").Count();
            ((ClaimsIdentity)user.Identity!).AddClaim(new Claim("injected", "yes"));
            return Results.Json(new { before, sub = user.GetSubject() });
        }).RequireAuthorization();
    }
}
