using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Switchboard.Hosting;

namespace Switchboard.Errors;

/// <summary>
/// Refuses bodies over <see cref="ApiOptions.MaxRequestBodyBytes"/> before they are buffered: a declared
/// Content-Length over the limit is answered 413 at once; a chunked body is cut off by the server's own
/// limit (Kestrel) or, where the server has none, by counting bytes as they are read.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        if (http.Request.ContentLength > _limit)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            var problem = Problems.From(new Error(ErrorKind.TooLarge, ErrorCodes.BodyTooLarge,
                $"The request body is larger than {_limit} bytes."));
            await problems.WriteAsync(new() { HttpContext = http, ProblemDetails = problem });
            return;
        }

        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = _limit;
        }
        else
        {
            http.Request.Body = new LengthLimitedStream(http.Request.Body, _limit);
        }
        await next(http);
    }
}
