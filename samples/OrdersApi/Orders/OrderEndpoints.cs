using System.Security.Claims;
using Faable.AspNetCore;
using Microsoft.AspNetCore.Http.HttpResults;

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

        // Typed results: the OpenAPI document lists 201 with the order and 400 with the validation problem.
        orders.MapPost("/", Results<Created<Order>, ValidationProblem> (PlaceOrderRequest request, OrderStore store, ClaimsPrincipal caller) =>
        {
            var errors = request.Validate();
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors, title: "The order is not valid.");
            }

            var lines = request.Lines!.Select(l => new OrderLine(l.Sku!, l.Quantity!.Value, l.UnitPrice!.Value)).ToList();
            var order = store.Place(request.Customer!.Trim(), lines, caller.GetSubject() ?? "unknown");
            return TypedResults.Created($"/orders/{order.Id}", order);
        }).RequireScope("write:orders");

        return endpoints;
    }
}
