<?php
/* Seeds the suite's WordPress: runs WordPress's own installer, then adds
 * the posts, pages, users, categories and comment the tasks act on.
 * php -d auto_prepend_file=PREPEND seed/wordpress.php URL USER PASSWORD
 * (PREPEND defines ABSPATH as the suite's WordPress folder). */
if ($argc != 4) {
    fwrite(STDERR, "usage: wordpress.php URL USER PASSWORD\n");
    exit(2);
}
list(, $url, $user, $pass) = $argv;
$_SERVER['HTTP_HOST'] = parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);
require_once ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

$r = wp_install('Riverside Garden Club', $user, 'admin@garden.example', false, '', $pass);
if (empty($r['user_id'])) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
update_option('show_avatars', 0);          /* no requests to gravatar.com */
update_option('blogdescription', 'Growing together by the river');
update_option('timezone_string', 'Europe/London');
/* Keep the admin free of first-run nags a seeded site would have dismissed. */
update_user_meta($r['user_id'], 'show_welcome_panel', 0);
update_user_meta($r['user_id'], 'first_name', 'Ada');
update_user_meta($r['user_id'], 'last_name', 'Gardner');

function seed_user($login, $first, $last, $role) {
    $id = wp_insert_user([
        'user_login' => $login, 'user_pass' => $login . '-Pass-22',
        'user_email' => $login . '@garden.example', 'first_name' => $first,
        'last_name' => $last, 'display_name' => "$first $last", 'role' => $role,
    ]);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    return $id;
}
$maria = seed_user('maria', 'Maria', 'Lopez', 'editor');
$tom   = seed_user('tom', 'Tom', 'Becker', 'author');
seed_user('sam', 'Sam', 'Okafor', 'subscriber');

$events = wp_insert_term('Events', 'category')['term_id'];
$news   = wp_insert_term('News', 'category')['term_id'];

function seed_post($title, $body, $status, $author, $cats, $day, $type = 'post') {
    $id = wp_insert_post([
        'post_title' => $title, 'post_content' => $body, 'post_status' => $status,
        'post_author' => $author, 'post_category' => $cats, 'post_type' => $type,
        'post_date' => "2026-$day 10:00:00",
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    return $id;
}
$uid = $r['user_id'];
$sale = seed_post('Spring plant sale',
    '<!-- wp:paragraph --><p>Seedlings, herbs and perennials from our members, on the first Saturday of May.</p><!-- /wp:paragraph -->',
    'publish', $uid, [$events], '04-02');
seed_post('New compost bins arrive',
    '<!-- wp:paragraph --><p>Six new compost bins are now behind the shed.</p><!-- /wp:paragraph -->',
    'publish', $maria, [$news], '04-10');
seed_post('Volunteer day at the riverside',
    '<!-- wp:paragraph --><p>Bring gloves: we clear the riverbank path.</p><!-- /wp:paragraph -->',
    'publish', $tom, [$events], '04-18');
seed_post('Seed swap recap',
    '<!-- wp:paragraph --><p>Forty members swapped over two hundred packets of seeds.</p><!-- /wp:paragraph -->',
    'publish', $tom, [$news], '04-25');
seed_post('Summer opening hours',
    '<!-- wp:paragraph --><p>From June the garden opens at 8 am.</p><!-- /wp:paragraph -->',
    'draft', $uid, [$news], '05-01');
seed_post('About the club',
    '<!-- wp:paragraph --><p>We are a community garden on the east bank of the river.</p><!-- /wp:paragraph -->',
    'publish', $uid, [], '03-01', 'page');
seed_post('Membership',
    '<!-- wp:paragraph --><p>Membership costs 20 pounds a year.</p><!-- /wp:paragraph -->',
    'publish', $uid, [], '03-02', 'page');
seed_post('Contact us',
    '<!-- wp:paragraph --><p>Write to us at hello@garden.example.</p><!-- /wp:paragraph -->',
    'publish', $uid, [], '03-03', 'page');

$c = wp_insert_comment([
    'comment_post_ID' => $sale, 'comment_author' => 'Jane Reader',
    'comment_author_email' => 'jane@reader.example',
    'comment_content' => 'Will there be tomato plants this year?',
    'comment_approved' => 0, 'comment_date' => '2026-04-03 09:00:00',
]);
if (!$c) {
    fwrite(STDERR, "comment failed\n");
    exit(1);
}
/* The block editor's welcome guide, already seen (as on a site in use). */
update_user_meta($uid, 'wp_persisted_preferences',
    ['core/edit-post' => ['welcomeGuide' => false], '_modified' => '2026-04-01T00:00:00.000Z']);
echo "seeded\n";
