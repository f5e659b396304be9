<?php
/* The changed pass's WordPress data: the posts in another order, posts and
 * a user whose names come close to the seeded ones.
 * php -d auto_prepend_file=PREPEND seed/changed/wordpress.php URL */
if ($argc != 2) {
    fwrite(STDERR, "usage: wordpress.php URL\n");
    exit(2);
}
$_SERVER['HTTP_HOST'] = parse_url($argv[1], PHP_URL_HOST) . ':' . parse_url($argv[1], PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
require_once ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

/* Newest first becomes oldest first: the list's rows move. */
$dates = ['Spring plant sale' => '2026-04-28', 'New compost bins arrive' => '2026-04-21',
          'Volunteer day at the riverside' => '2026-04-14', 'Seed swap recap' => '2026-04-07'];
foreach ($dates as $title => $day) {
    $p = get_page_by_title($title, OBJECT, 'post');
    wp_update_post(['ID' => $p->ID, 'post_date' => "$day 10:00:00",
                    'post_date_gmt' => "$day 09:00:00"]);
}
$admin = get_user_by('login', 'admin')->ID;
foreach ([['Seed swap recap photos', 'publish', '2026-04-08'],
          ['Volunteer day at the riverside: sign-up sheet', 'publish', '2026-04-15'],
          ['Compost bins: how to use them', 'draft', '2026-05-02']] as [$t, $st, $d]) {
    $id = wp_insert_post(['post_title' => $t, 'post_status' => $st, 'post_author' => $admin,
        'post_content' => '<!-- wp:paragraph --><p>More soon.</p><!-- /wp:paragraph -->',
        'post_date' => "$d 10:00:00"], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
}
$u = wp_insert_user(['user_login' => 'samuel', 'user_pass' => 'samuel-Pass-22',
    'user_email' => 'samuel@garden.example', 'first_name' => 'Samuel', 'last_name' => 'Reed',
    'display_name' => 'Samuel Reed', 'role' => 'subscriber']);
if (is_wp_error($u)) {
    fwrite(STDERR, $u->get_error_message() . "\n");
    exit(1);
}
echo "changed\n";
