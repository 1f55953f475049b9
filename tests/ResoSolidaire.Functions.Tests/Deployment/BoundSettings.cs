using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>A setting the function app reads, named as an app setting (<c>Section__Property</c>).</summary>
/// <param name="Name">The app setting name.</param>
/// <param name="Source">Where the code reads it, for failure messages.</param>
/// <param name="IsCollection">A list or dictionary: set as <c>Name__0</c>, <c>Name__Key</c>, ... (or as <c>Name</c> itself).</param>
public sealed record BoundSetting(string Name, string Source, bool IsCollection)
{
    /// <summary>Whether the app setting <paramref name="key"/> sets this setting.</summary>
    public bool IsSetBy(string key) =>
        string.Equals(key, Name, StringComparison.OrdinalIgnoreCase)
        || (IsCollection && key.StartsWith(Name + "__", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Every setting the function app binds, found by reflection so that new features are covered without
/// touching the tests: options classes with a <c>public const string Section</c> (their public settable
/// properties, nested objects included) and every <c>%Name%</c> in a trigger or binding attribute.
/// </summary>
public static partial class BoundSettings
{
    public static Assembly FunctionApp { get; } = typeof(ResoSolidaireApp).Assembly;

    public static IReadOnlyList<BoundSetting> All { get; } = [.. FromOptions(), .. FromAttributeExpressions()];

    /// <summary>Options classes of the app: those with a public constant <c>Section</c>.</summary>
    public static IEnumerable<(Type Type, string Section)> OptionsTypes() =>
        from type in FunctionApp.GetTypes()
        let field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where type.IsClass && field is { IsLiteral: true } && field.FieldType == typeof(string)
        orderby type.FullName
        select (type, (string)field.GetRawConstantValue()!);

    /// <summary>Types the app takes as <c>IOptions&lt;T&gt;</c> (or monitor, snapshot) in a constructor or method.</summary>
    public static IEnumerable<(Type OptionsType, Type Consumer)> ConsumedOptionsTypes()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Type[] wrappers = [typeof(IOptions<>), typeof(IOptionsMonitor<>), typeof(IOptionsSnapshot<>)];
        return
            from type in FunctionApp.GetTypes()
            from method in type.GetConstructors(all).Cast<MethodBase>().Concat(type.GetMethods(all))
            from parameter in method.GetParameters()
            let parameterType = parameter.ParameterType
            where parameterType.IsGenericType && wrappers.Contains(parameterType.GetGenericTypeDefinition())
            let optionsType = parameterType.GetGenericArguments()[0]
            where optionsType.Assembly == FunctionApp
            select (optionsType, type);
    }

    private static IEnumerable<BoundSetting> FromOptions() =>
        from options in OptionsTypes()
        from setting in Walk(options.Type, options.Section.Replace(":", "__", StringComparison.Ordinal), options.Type.Name, depth: 0)
        select setting;

    private static IEnumerable<BoundSetting> Walk(Type type, string prefix, string source, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = $"{prefix}__{property.Name}";
            var where = $"{source}.{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                yield return new BoundSetting(name, where, IsCollection: false);
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                yield return new BoundSetting(name, where, IsCollection: true);
            }
            else if (depth < 8)
            {
                foreach (var nested in Walk(propertyType, name, where, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Guid);

    /// <summary>
    /// <c>%Name%</c> in the attributes of functions and their parameters: timer schedules, and any other
    /// binding expression resolved from app settings.
    /// </summary>
    private static IEnumerable<BoundSetting> FromAttributeExpressions()
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found =
            from type in FunctionApp.GetTypes()
            from method in type.GetMethods(declared)
            from attribute in method.GetCustomAttributesData().Concat(method.GetParameters().SelectMany(p => p.GetCustomAttributesData()))
            from value in StringArguments(attribute)
            from Match match in AppSettingExpression().Matches(value)
            select new BoundSetting(match.Groups["name"].Value, $"{type.Name}.{method.Name} [{attribute.AttributeType.Name}(\"{value}\")]", IsCollection: false);
        return found.DistinctBy(s => s.Name, StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> StringArguments(CustomAttributeData attribute) =>
        attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue))
            .Select(a => a.Value).OfType<string>();

    [GeneratedRegex("%(?<name>[A-Za-z_][A-Za-z0-9_:.]*)%")]
    private static partial Regex AppSettingExpression();
}
