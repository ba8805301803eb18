using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Native.Promise;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// <c>fetch</c>, answered by the host's <see cref="HttpMessageHandler"/>. Requests run on the thread pool; their
/// promises are settled only on the thread driving the engine, between script steps, so the engine is never touched
/// concurrently. Without a handler every call rejects with a clear error: no real network unless the host opts in.
/// </summary>
internal sealed class JsFetch
{
    /// <summary>Largest response body handed to the script.</summary>
    public const int MaxResponseChars = 1024 * 1024;

    /// <summary>Most requests one action may make.</summary>
    public const int MaxRequests = 50;

    private readonly Engine _engine;
    private readonly HttpMessageHandler? _handler;
    private readonly CancellationToken _cancellationToken;
    private readonly List<(Task<FetchResult> Task, ManualPromise Promise)> _inFlight = [];
    private int _count;

    public JsFetch(Engine engine, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        _engine = engine;
        _handler = handler;
        _cancellationToken = cancellationToken;
    }

    public bool HasInFlight => _inFlight.Count > 0;

    public ClrFunction CreateFunction() => new(_engine, "fetch", (_, args) => Start(args), 2);

    private JsValue Start(JsValue[] args)
    {
        var promise = _engine.Advanced.RegisterPromise();
        if (_handler is null)
        {
            promise.Reject(TypeError("fetch is not available: the emulator makes no real network calls; configure a fetch handler (an HttpMessageHandler) for the actions host."));
            return promise.Promise;
        }

        if (++_count > MaxRequests)
        {
            throw JsApiFactory.Fault(_engine, $"the action made more than {MaxRequests} fetch calls.");
        }

        HttpRequestMessage request;
        try
        {
            request = BuildRequest(args);
        }
        catch (Exception ex) when (ex is UriFormatException or FormatException or InvalidOperationException or ArgumentException)
        {
            promise.Reject(TypeError("fetch: " + ex.Message));
            return promise.Promise;
        }

        _inFlight.Add((SendAsync(request), promise));
        return promise.Promise;
    }

    private static HttpRequestMessage BuildRequest(JsValue[] args)
    {
        var input = args.Length > 0 ? args[0] : JsValue.Undefined;
        var url = input.IsObject() ? input.AsObject().Get("href").ToString() : input.ToString();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new UriFormatException($"'{url}' is not an absolute http(s) URL.");
        }

        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var init = args.Length > 1 ? args[1] : JsValue.Undefined;
        if (!init.IsObject())
        {
            return request;
        }

        var o = init.AsObject();
        var method = o.Get("method");
        if (method.IsString())
        {
            request.Method = new HttpMethod(method.AsString().ToUpperInvariant());
        }

        var body = o.Get("body");
        string? contentType = null;
        var headers = o.Get("headers");
        if (headers.IsObject())
        {
            var h = headers.AsObject();
            foreach (var key in h.GetOwnPropertyKeys(Jint.Runtime.Types.String))
            {
                var name = key.ToString();
                var value = h.Get(key).ToString();
                if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = value;
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }

        if (!body.IsUndefined() && !body.IsNull())
        {
            request.Content = new StringContent(body.ToString(), Encoding.UTF8);
            if (contentType is not null)
            {
                request.Content.Headers.Remove("Content-Type");
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return request;
    }

    private async Task<FetchResult> SendAsync(HttpRequestMessage request)
    {
        using var invoker = new HttpMessageInvoker(_handler!, disposeHandler: false);
        using var response = await invoker.SendAsync(request, _cancellationToken).ConfigureAwait(false);
        var text = await ReadBoundedAsync(response.Content, _cancellationToken).ConfigureAwait(false);

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers.Add(new(name.ToLowerInvariant(), string.Join(", ", values)));
        }

        return new FetchResult((int)response.StatusCode, response.ReasonPhrase ?? "", request.RequestUri!.ToString(), headers, text);
    }

    // The body is read while it arrives and the read stops one character past the bound: a huge or endless body never
    // sits in memory whole.
    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var tooLong = $"the response body has more than {MaxResponseChars} characters; at most {MaxResponseChars} are handed to an action.";
        if (content.Headers.ContentLength is > 4L * MaxResponseChars)
        {
            throw new InvalidOperationException(tooLong);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var text = new StringBuilder();
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (text.Length + read > MaxResponseChars)
                {
                    throw new InvalidOperationException(tooLong);
                }

                text.Append(buffer, 0, read);
            }

            return text.ToString();
        }
    }

    /// <summary>Waits until a request completes, or <paramref name="maxWait"/> passes.</summary>
    public async Task WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var any = Task.WhenAny(_inFlight.Select(f => (Task)f.Task));
        await Task.WhenAny(any, Task.Delay(maxWait, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Settles the promises of completed requests. Runs on the engine's thread, between script steps.</summary>
    public bool DeliverCompleted()
    {
        var delivered = false;
        for (var i = 0; i < _inFlight.Count; i++)
        {
            var (task, promise) = _inFlight[i];
            if (!task.IsCompleted)
            {
                continue;
            }

            _inFlight.RemoveAt(i--);
            delivered = true;
            if (task.IsCompletedSuccessfully)
            {
                promise.Resolve(CreateResponse(task.Result));
            }
            else
            {
                var error = task.Exception?.GetBaseException();
                promise.Reject(TypeError("fetch failed: " + (error is OperationCanceledException ? "the request was cancelled." : error?.Message)));
            }
        }

        return delivered;
    }

    private JsObject CreateResponse(FetchResult result)
    {
        var engine = _engine;
        var response = new JsObject(engine);
        response.FastSetDataProperty("status", JsNumber.Create(result.Status));
        response.FastSetDataProperty("statusText", result.StatusText);
        response.FastSetDataProperty("ok", result.Status is >= 200 and <= 299 ? JsBoolean.True : JsBoolean.False);
        response.FastSetDataProperty("url", result.Url);

        var headers = new JsObject(engine);
        headers.FastSetDataProperty("get", new ClrFunction(engine, "get", (_, a) =>
        {
            var name = (a.Length > 0 ? a[0].ToString() : "").ToLowerInvariant();
            var values = result.Headers.Where(h => h.Key == name).Select(h => h.Value).ToList();
            return values.Count == 0 ? JsValue.Null : new JsString(string.Join(", ", values));
        }, 1));
        headers.FastSetDataProperty("has", new ClrFunction(engine, "has", (_, a) =>
        {
            var name = (a.Length > 0 ? a[0].ToString() : "").ToLowerInvariant();
            return result.Headers.Any(h => h.Key == name) ? JsBoolean.True : JsBoolean.False;
        }, 1));
        response.FastSetDataProperty("headers", headers);

        response.FastSetDataProperty("text", new ClrFunction(engine, "text", (_, _) =>
        {
            var p = engine.Advanced.RegisterPromise();
            p.Resolve(new JsString(result.Body));
            return p.Promise;
        }));
        response.FastSetDataProperty("json", new ClrFunction(engine, "json", (_, _) =>
        {
            var p = engine.Advanced.RegisterPromise();
            try
            {
                p.Resolve(new JsonParser(engine).Parse(result.Body));
            }
            catch (Jint.Runtime.JavaScriptException ex)
            {
                p.Reject(ex.Error);
            }

            return p.Promise;
        }));
        return response;
    }

    private Jint.Native.Object.ObjectInstance TypeError(string message) => _engine.Intrinsics.TypeError.Construct([new JsString(message)], JsValue.Undefined);

    private sealed record FetchResult(int Status, string StatusText, string Url, List<KeyValuePair<string, string>> Headers, string Body);
}
