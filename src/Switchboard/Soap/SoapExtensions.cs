using System.ServiceModel.Channels;
using System.Xml;
using Microsoft.AspNetCore.Authorization;
using SoapCore;
using Switchboard.Security;

namespace Switchboard.Soap;

/// <summary>The SOAP face at <c>/soap/v1</c> (WSDL at <c>/soap/v1?wsdl</c>), for integrations and admins (docs/soap.md).</summary>
internal static class SoapExtensions
{
    public const string Path = "/soap/v1";

    public static IServiceCollection AddSwitchboardSoap(this IServiceCollection services)
    {
        services.AddSoapCore();
        services.AddHttpContextAccessor();
        services.AddScoped<ISwitchboardSoap, SwitchboardSoapService>();
        return services;
    }

    public static WebApplication MapSwitchboardSoap(this WebApplication app)
    {
        // Who may call it, checked before SoapCore sees the request (its WSDL GET and its POSTs alike): integrations and
        // admins, by API key or token; 401 without a credential, 403 for another role.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase), branch => branch.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            var allowed = await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, Access.Integrations);
            if (!allowed.Succeeded)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(http);
        }));
        ((IEndpointRouteBuilder)app).UseSoapEndpoint<ISwitchboardSoap>(options =>
        {
            options.Path = Path;
            options.SoapSerializer = SoapSerializer.DataContractSerializer;
            options.EncoderOptions =
            [
                new SoapEncoderOptions
                {
                    MessageVersion = MessageVersion.Soap11,
                    // XML hardening: the reader is XmlDictionaryReader, which refuses DTDs (so no entities: no XXE, no
                    // billion laughs); these quotas bound the rest. The request body limit (Api:MaxRequestBodyBytes) comes first.
                    ReaderQuotas = new XmlDictionaryReaderQuotas
                    {
                        MaxDepth = 32, MaxStringContentLength = 64 * 1024, MaxArrayLength = 64 * 1024, MaxBytesPerRead = 64 * 1024, MaxNameTableCharCount = 16 * 1024,
                    },
                },
            ];
        }).RequireAuthorization(Access.Integrations);
        return app;
    }
}
