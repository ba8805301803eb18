using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>A controller with no requirement at class level.</summary>
[ApiController]
[Route("mvc/open")]
public sealed class OpenController : ControllerBase
{
    [HttpGet]
    public IActionResult Get() => Ok("open");

    [HttpGet("scoped")]
    [RequireScope("read:orders")]
    public IActionResult Scoped() => Ok("scoped");
}
