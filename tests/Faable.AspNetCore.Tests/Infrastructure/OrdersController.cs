using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>Controller endpoints for attribute tests.</summary>
[ApiController]
[Route("mvc/orders")]
[RequireScope("read:orders")]
public sealed class OrdersController : ControllerBase
{
    [HttpGet]
    public IActionResult List() => Ok("list");

    [HttpPost]
    [RequirePermission("write:orders")]
    public IActionResult Create() => Ok("created");

    [HttpGet("either")]
    [RequireAnyScope("admin", "support")]
    public IActionResult Either() => Ok("either");

    [HttpGet("admin")]
    [Authorize("AdminOnly")]
    public IActionResult Admin() => Ok("admin");

    [HttpGet("machine")]
    [RequireCallerType(FaableCallerType.Machine)]
    public IActionResult Machine() => Ok("machine");
}
