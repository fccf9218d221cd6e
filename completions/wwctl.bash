#!/bin/bash

__wwctl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__wwctl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__wwctl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__wwctl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_wwctl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    local -a repeating_options=(--sentinel)
    local -a non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    ping|config|db|orgs|perms|products|payouts|sessions|tokens|ratelimit|cache|metrics|health|slowlog|clients|latency|top|repl|help)
        # Offer subcommand argument completions
        "_wwctl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'ping config db orgs perms products payouts sessions tokens ratelimit cache metrics health slowlog clients latency top repl help' -- "${cur}"))
        ;;
    esac
}

_wwctl_ping() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ping -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ping -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_config() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion config -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion config -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show)
        # Offer subcommand argument completions
        "_wwctl_config_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show' -- "${cur}"))
        ;;
    esac
}

_wwctl_config_show() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion config show -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion config show -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_db() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    migrate|status|seed|seed-live)
        # Offer subcommand argument completions
        "_wwctl_db_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'migrate status seed seed-live' -- "${cur}"))
        ;;
    esac
}

_wwctl_db_migrate() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db migrate -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db migrate -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_db_status() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db status -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db status -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_db_seed() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --force -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --scale --seed)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db seed -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db seed -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--scale')
        __wwctl_add_completions -W 'tiny'$'\n''small'$'\n''medium'$'\n''large'
        return
        ;;
    '--seed')
        return
        ;;
    esac
}

_wwctl_db_seed-live() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --users --seed)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db seed-live -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion db seed-live -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--users')
        return
        ;;
    '--seed')
        return
        ;;
    esac
}

_wwctl_orgs() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|create|update|suspend|activate|members|add-member|remove-member|set-role)
        # Offer subcommand argument completions
        "_wwctl_orgs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show create update suspend activate members add-member remove-member set-role' -- "${cur}"))
        ;;
    esac
}

_wwctl_orgs_list() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --status --search --limit)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs list -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs list -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--status')
        return
        ;;
    '--search')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_wwctl_orgs_show() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs show -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs show -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_orgs_create() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --name --slug --commission-rate)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs create -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs create -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--name')
        return
        ;;
    '--slug')
        return
        ;;
    '--commission-rate')
        return
        ;;
    esac
}

_wwctl_orgs_update() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --name --commission-rate)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs update -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs update -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--name')
        return
        ;;
    '--commission-rate')
        return
        ;;
    esac
}

_wwctl_orgs_suspend() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --reason)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs suspend -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs suspend -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_wwctl_orgs_activate() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs activate -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs activate -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_orgs_members() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs members -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs members -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_orgs_add-member() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --role)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs add-member -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs add-member -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--role')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs add-member -- --role "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_wwctl_orgs_remove-member() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep --allow-no-owner -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs remove-member -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs remove-member -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_orgs_set-role() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep --allow-no-owner -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs set-role -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs set-role -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    3)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion orgs set-role -- positional@2 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_wwctl_perms() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check|list|roles|grant|revoke|audit)
        # Offer subcommand argument completions
        "_wwctl_perms_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check list roles grant revoke audit' -- "${cur}"))
        ;;
    esac
}

_wwctl_perms_check() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --explain -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 4

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms check -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms check -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms check -- positional@0 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms check -- positional@1 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    3)
        __wwctl_add_completions -W 'org'$'\n''member'$'\n''product'$'\n''category'$'\n''attribute'$'\n''order'$'\n''refund'$'\n''payout'$'\n''commission'$'\n''shipping'$'\n''report'
        return
        ;;
    4)
        __wwctl_add_completions -W 'read'$'\n''create'$'\n''update'$'\n''delete'
        return
        ;;
    esac
}

_wwctl_perms_list() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --user --org)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms list -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms list -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--user')
        return
        ;;
    '--org')
        return
        ;;
    esac
}

_wwctl_perms_roles() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms roles -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms roles -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_perms_grant() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms grant -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms grant -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms grant -- positional@0 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_wwctl_perms_revoke() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms revoke -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms revoke -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms revoke -- positional@0 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_wwctl_perms_audit() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --fix -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --sample)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms audit -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion perms audit -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--sample')
        return
        ;;
    esac
}

_wwctl_products() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|set-price|set-status|set-stock|set-category|categories)
        # Offer subcommand argument completions
        "_wwctl_products_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show set-price set-status set-stock set-category categories' -- "${cur}"))
        ;;
    esac
}

_wwctl_products_list() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --org --category --status --limit)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products list -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products list -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--org')
        return
        ;;
    '--category')
        return
        ;;
    '--status')
        __wwctl_add_completions -W 'draft'$'\n''active'$'\n''archived'
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_wwctl_products_show() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --with-variants -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products show -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products show -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_products_set-price() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --no-sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-price -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-price -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_products_set-status() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --no-sweep -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-status -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-status -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    2)
        __wwctl_add_completions -W 'draft'$'\n''active'$'\n''archived'
        return
        ;;
    esac
}

_wwctl_products_set-stock() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-stock -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-stock -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_products_set-category() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-category -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products set-category -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_products_categories() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products categories -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion products categories -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_payouts() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    balances|run|list|show|mark-paid|fail|ledger)
        # Offer subcommand argument completions
        "_wwctl_payouts_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'balances run list show mark-paid fail ledger' -- "${cur}"))
        ;;
    esac
}

_wwctl_payouts_balances() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --org)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts balances -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts balances -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--org')
        return
        ;;
    esac
}

_wwctl_payouts_run() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --allow-old-period -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --period --min-amount --org)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts run -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts run -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--period')
        return
        ;;
    '--min-amount')
        return
        ;;
    '--org')
        return
        ;;
    esac
}

_wwctl_payouts_list() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --status --org --period --limit)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts list -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts list -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--status')
        __wwctl_add_completions -W 'pending'$'\n''paid'$'\n''failed'
        return
        ;;
    '--org')
        return
        ;;
    '--period')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_wwctl_payouts_show() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts show -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts show -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_payouts_mark-paid() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --reference)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts mark-paid -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts mark-paid -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--reference')
        return
        ;;
    esac
}

_wwctl_payouts_fail() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --reason)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts fail -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts fail -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_wwctl_payouts_ledger() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --csv -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts ledger -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion payouts ledger -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_sessions() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|revoke|revoke-all|prune)
        # Offer subcommand argument completions
        "_wwctl_sessions_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show revoke revoke-all prune' -- "${cur}"))
        ;;
    esac
}

_wwctl_sessions_list() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --user)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions list -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions list -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--user')
        return
        ;;
    esac
}

_wwctl_sessions_show() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions show -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions show -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions show -- positional@0 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_wwctl_sessions_revoke() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --user)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions revoke -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions revoke -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--user')
        return
        ;;
    esac
}

_wwctl_sessions_revoke-all() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --scan --dry-run -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --user --confirm-production)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions revoke-all -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions revoke-all -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--user')
        return
        ;;
    '--confirm-production')
        return
        ;;
    esac
}

_wwctl_sessions_prune() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --confirm-production)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions prune -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion sessions prune -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--confirm-production')
        return
        ;;
    esac
}

_wwctl_tokens() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion tokens -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion tokens -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    revoke|check)
        # Offer subcommand argument completions
        "_wwctl_tokens_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'revoke check' -- "${cur}"))
        ;;
    esac
}

_wwctl_tokens_revoke() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --secret --user)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion tokens revoke -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion tokens revoke -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--secret')
        return
        ;;
    '--user')
        return
        ;;
    esac
}

_wwctl_tokens_check() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --secret)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion tokens check -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion tokens check -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--secret')
        return
        ;;
    esac
}

_wwctl_ratelimit() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ratelimit -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ratelimit -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|reset)
        # Offer subcommand argument completions
        "_wwctl_ratelimit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show reset' -- "${cur}"))
        ;;
    esac
}

_wwctl_ratelimit_show() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --user --ip --endpoint)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ratelimit show -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ratelimit show -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--user')
        return
        ;;
    '--ip')
        return
        ;;
    '--endpoint')
        return
        ;;
    esac
}

_wwctl_ratelimit_reset() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --user --ip --endpoint)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ratelimit reset -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion ratelimit reset -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--user')
        return
        ;;
    '--ip')
        return
        ;;
    '--endpoint')
        return
        ;;
    esac
}

_wwctl_cache() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    families|keys|inspect|invalidate|warm|lint|ttl|export|import|verify|doctor)
        # Offer subcommand argument completions
        "_wwctl_cache_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'families keys inspect invalidate warm lint ttl export import verify doctor' -- "${cur}"))
        ;;
    esac
}

_wwctl_cache_families() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --markdown -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache families -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache families -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_cache_keys() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --sort --no-sort -h --help)
    repeating_options=(--sentinel --param)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --limit --family)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache keys -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache keys -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--limit')
        return
        ;;
    '--family')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache keys -- --family "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--param')
        return
        ;;
    esac
}

_wwctl_cache_inspect() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --max-elements --max-bytes)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache inspect -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache inspect -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--max-elements')
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac
}

_wwctl_cache_invalidate() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --all --exact -h --help)
    repeating_options=(--sentinel --param)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --family --scan-count --confirm-production)
    __wwctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache invalidate -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache invalidate -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--family')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache invalidate -- --family "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--param')
        return
        ;;
    '--scan-count')
        return
        ;;
    '--confirm-production')
        return
        ;;
    esac
}

_wwctl_cache_warm() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --dry-run --only-missing -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --org --user --product --ttl-jitter)
    __wwctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache warm -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache warm -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--org')
        return
        ;;
    '--user')
        return
        ;;
    '--product')
        return
        ;;
    '--ttl-jitter')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache warm -- positional@0 "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_wwctl_cache_lint() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --max-value-bytes --max-findings)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache lint -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache lint -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--max-value-bytes')
        return
        ;;
    '--max-findings')
        return
        ;;
    esac
}

_wwctl_cache_ttl() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --persist -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --set)
    __wwctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache ttl -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache ttl -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--set')
        return
        ;;
    esac
}

_wwctl_cache_export() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache export -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache export -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_cache_import() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --replace -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --confirm-production)
    __wwctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache import -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache import -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--confirm-production')
        return
        ;;
    esac
}

_wwctl_cache_verify() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --fix -h --help)
    repeating_options=(--sentinel --family)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --sample)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache verify -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache verify -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--family')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache verify -- --family "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--sample')
        return
        ;;
    esac
}

_wwctl_cache_doctor() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --sample --window --min-hit-rate --max-fragmentation --max-value-bytes)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache doctor -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion cache doctor -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--sample')
        return
        ;;
    '--window')
        return
        ;;
    '--min-hit-rate')
        return
        ;;
    '--max-fragmentation')
        return
        ;;
    '--max-value-bytes')
        return
        ;;
    esac
}

_wwctl_metrics() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --by-family -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --watch --count --sample --memory-sample)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion metrics -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion metrics -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--watch')
        return
        ;;
    '--count')
        return
        ;;
    '--sample')
        return
        ;;
    '--memory-sample')
        return
        ;;
    esac
}

_wwctl_health() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --no-postgres -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --min-hit-rate --critical-hit-rate --max-memory-ratio --critical-memory-ratio --max-evictions-per-sec --critical-evictions-per-sec --window)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion health -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion health -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--min-hit-rate')
        return
        ;;
    '--critical-hit-rate')
        return
        ;;
    '--max-memory-ratio')
        return
        ;;
    '--critical-memory-ratio')
        return
        ;;
    '--max-evictions-per-sec')
        return
        ;;
    '--critical-evictions-per-sec')
        return
        ;;
    '--window')
        return
        ;;
    esac
}

_wwctl_slowlog() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --reset -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --limit)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion slowlog -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion slowlog -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--limit')
        return
        ;;
    esac
}

_wwctl_clients() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --group-by --kill-idle)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion clients -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion clients -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--group-by')
        __wwctl_add_completions -W 'name'$'\n''addr'$'\n''cmd'
        return
        ;;
    '--kill-idle')
        return
        ;;
    esac
}

_wwctl_latency() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --no-postgres -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --count --interval)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion latency -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion latency -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--count')
        return
        ;;
    '--interval')
        return
        ;;
    esac
}

_wwctl_top() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    keys|hot)
        # Offer subcommand argument completions
        "_wwctl_top_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'keys hot' -- "${cur}"))
        ;;
    esac
}

_wwctl_top_keys() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --by --family --limit --per-family --sample --max-value-bytes)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top keys -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top keys -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--by')
        __wwctl_add_completions -W 'memory'$'\n''length'$'\n''ttl'
        return
        ;;
    '--family')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top keys -- --family "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--limit')
        return
        ;;
    '--per-family')
        return
        ;;
    '--sample')
        return
        ;;
    '--max-value-bytes')
        return
        ;;
    esac
}

_wwctl_top_hot() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url --family --limit --per-family --sample)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top hot -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top hot -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    '--family')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion top hot -- --family "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--limit')
        return
        ;;
    '--per-family')
        return
        ;;
    '--sample')
        return
        ;;
    esac
}

_wwctl_repl() {
    repeating_flags=()
    non_repeating_flags=(--yes --quiet -q --verbose -v --tls --insecure --cluster --no-cluster --continue-on-error -h --help)
    repeating_options=(--sentinel)
    non_repeating_options=(--redis-url --database-url --profile --key-prefix -o --output --timeout --cacert --cacertdir --cert --key --sni --redis-user --pass --master --read-from --replica-url)
    __wwctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--redis-url')
        return
        ;;
    '--database-url')
        return
        ;;
    '--profile')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion repl -- --profile "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--key-prefix')
        return
        ;;
    '-o'|'--output')
        __wwctl_add_completions -W "$(__wwctl_custom_complete ---completion repl -- --output "${COMP_CWORD}" "$(__wwctl_cursor_index_in_current_word)")"
        return
        ;;
    '--timeout')
        return
        ;;
    '--cacert')
        __wwctl_add_completions -f
        return
        ;;
    '--cacertdir')
        __wwctl_add_completions -d
        return
        ;;
    '--cert')
        __wwctl_add_completions -f
        return
        ;;
    '--key')
        __wwctl_add_completions -f
        return
        ;;
    '--sni')
        return
        ;;
    '--redis-user')
        return
        ;;
    '--pass')
        return
        ;;
    '--sentinel')
        return
        ;;
    '--master')
        return
        ;;
    '--read-from')
        return
        ;;
    '--replica-url')
        return
        ;;
    esac
}

_wwctl_help() {
    :
}

complete -o filenames -F _wwctl wwctl
