using System.Security.Claims;
using Faable.AspNetCore;

namespace OrdersApi.Orders;

/// <summary>The orders API: <c>GET /orders</c> and <c>POST /orders</c>.</summary>
public static class OrderEndpoints
{
    /// <summary>Maps the orders endpoints.</summary>
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder endpoints)
    {
        var orders = endpoints.MapGroup("/orders").WithTags("Orders");

        orders.MapGet("/", (OrderStore store) => TypedResults.Ok(store.All()))
            .RequireScope("read:orders");

        orders.MapPost("/", (PlaceOrderRequest request, OrderStore store, ClaimsPrincipal caller) =>
        {
            var errors = request.Validate();
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "The order is not valid.");
            }

            var lines = request.Lines!.Select(l => new OrderLine(l.Sku!, l.Quantity!.Value, l.UnitPrice!.Value)).ToList();
            var order = store.Place(request.Customer!.Trim(), lines, caller.GetSubject() ?? "unknown");
            return Results.Created($"/orders/{order.Id}", order);
        }).RequireScope("write:orders");

        return endpoints;
    }
}
