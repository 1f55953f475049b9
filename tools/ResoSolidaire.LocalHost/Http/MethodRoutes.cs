using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ResoSolidaire.LocalHost.Http;

/// <summary>
/// Routes whose methods are a route constraint, as the real host maps them
/// (WebScriptHostHttpRoutesManager adds an <c>httpMethod</c> HttpMethodRouteConstraint; the admin
/// API uses MVC's legacy router): a method the route does not declare matches nothing, so the
/// answer is 404, never 405, and HEAD is not taken for GET.
/// </summary>
internal static class MethodRoutes
{
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder routes, string template, IReadOnlyCollection<string> methods, RequestDelegate handler)
    {
        var pattern = methods.Count == 0
            ? RoutePatternFactory.Parse(template)
            : RoutePatternFactory.Parse(template, defaults: null, parameterPolicies: new RouteValueDictionary { ["httpMethod"] = new HttpMethodRouteConstraint([.. methods]) });
        return routes.Map(pattern, handler);
    }
}
