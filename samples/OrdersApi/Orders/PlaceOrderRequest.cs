using System.Text.RegularExpressions;

namespace OrdersApi.Orders;

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed partial class PlaceOrderRequest
{
    /// <summary>Most lines one order may have.</summary>
    public const int MaxLines = 50;

    /// <summary>The customer's name.</summary>
    public string? Customer { get; set; }

    /// <summary>The order lines.</summary>
    public IList<PlaceOrderLine>? Lines { get; set; }

    /// <summary>Checks the request; every problem is reported, keyed by the JSON path of the field.</summary>
    /// <returns>The errors, empty when the request is valid.</returns>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Customer))
        {
            errors["customer"] = ["The customer is required."];
        }
        else if (Customer.Length > 100)
        {
            errors["customer"] = ["The customer must be at most 100 characters."];
        }

        if (Lines is null || Lines.Count == 0)
        {
            errors["lines"] = ["An order needs at least one line."];
            return errors;
        }

        if (Lines.Count > MaxLines)
        {
            errors["lines"] = [$"An order has at most {MaxLines} lines."];
            return errors;
        }

        for (var i = 0; i < Lines.Count; i++)
        {
            var line = Lines[i];
            if (line is null)
            {
                errors[$"lines[{i}]"] = ["The line must be an object."];
                continue;
            }

            if (line.Sku is null || !SkuPattern().IsMatch(line.Sku))
            {
                errors[$"lines[{i}].sku"] = ["The SKU must be 3 to 32 upper-case letters, digits or '-', e.g. 'KB-104'."];
            }

            if (line.Quantity is not (>= 1 and <= 1000))
            {
                errors[$"lines[{i}].quantity"] = ["The quantity must be between 1 and 1000."];
            }

            if (line.UnitPrice is not (> 0m and <= 100_000m))
            {
                errors[$"lines[{i}].unitPrice"] = ["The unit price must be greater than 0 and at most 100000."];
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Z0-9-]{3,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex SkuPattern();
}
